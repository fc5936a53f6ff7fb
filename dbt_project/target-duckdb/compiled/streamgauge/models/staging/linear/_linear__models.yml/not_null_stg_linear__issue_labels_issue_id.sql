
    
    



select issue_id
from "new"."staging"."stg_linear__issue_labels"
where issue_id is null


