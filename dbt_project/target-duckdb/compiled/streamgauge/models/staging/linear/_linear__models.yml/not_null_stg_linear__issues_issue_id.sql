
    
    



select issue_id
from "new"."staging"."stg_linear__issues"
where issue_id is null


