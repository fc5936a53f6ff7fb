
    
    



select incident_id
from "new"."intermediate"."int_incidents_attributed"
where incident_id is null


