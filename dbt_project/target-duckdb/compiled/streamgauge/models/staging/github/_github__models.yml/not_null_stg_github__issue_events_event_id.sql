
    
    



select event_id
from "new"."staging"."stg_github__issue_events"
where event_id is null


