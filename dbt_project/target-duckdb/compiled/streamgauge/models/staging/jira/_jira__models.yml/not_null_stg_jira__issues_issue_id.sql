
    
    



select issue_id
from "new"."staging"."stg_jira__issues"
where issue_id is null


