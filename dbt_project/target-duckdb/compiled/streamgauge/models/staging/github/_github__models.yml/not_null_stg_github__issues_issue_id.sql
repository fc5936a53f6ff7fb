
    
    



select issue_id
from "new"."staging"."stg_github__issues"
where issue_id is null


