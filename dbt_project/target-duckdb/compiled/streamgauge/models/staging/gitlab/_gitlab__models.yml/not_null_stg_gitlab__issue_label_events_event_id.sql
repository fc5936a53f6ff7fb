
    
    



select event_id
from "new"."staging"."stg_gitlab__issue_label_events"
where event_id is null


