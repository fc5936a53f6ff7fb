
    
    



select incident_id
from "new"."core"."incidents"
where incident_id is null


