
    
    



select incident_id
from "new"."staging"."stg_pagerduty__incidents"
where incident_id is null


