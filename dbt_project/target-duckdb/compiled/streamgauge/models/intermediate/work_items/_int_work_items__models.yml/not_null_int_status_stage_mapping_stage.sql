
    
    



select stage
from "new"."intermediate"."int_status_stage_mapping"
where stage is null


