
    
    



select log_entry_id
from "new"."staging"."stg_pagerduty__incident_log_entries"
where log_entry_id is null


