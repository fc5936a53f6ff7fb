
    
    



select incident_id
from "new"."intermediate"."int_pagerduty_incidents_mapped"
where incident_id is null


