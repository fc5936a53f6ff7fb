
    
    



select issue_id
from "new"."staging"."stg_jira__issue_ids"
where issue_id is null


