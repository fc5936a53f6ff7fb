
    
    



select issue_id
from "new"."staging"."stg_gitlab__issues"
where issue_id is null


