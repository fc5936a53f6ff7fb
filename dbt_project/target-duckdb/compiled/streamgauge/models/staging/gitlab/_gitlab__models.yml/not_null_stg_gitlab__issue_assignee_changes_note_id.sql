
    
    



select note_id
from "new"."staging"."stg_gitlab__issue_assignee_changes"
where note_id is null


