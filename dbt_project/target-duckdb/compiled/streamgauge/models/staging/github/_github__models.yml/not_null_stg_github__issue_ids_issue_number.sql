
    
    



select issue_number
from "new"."staging"."stg_github__issue_ids"
where issue_number is null


