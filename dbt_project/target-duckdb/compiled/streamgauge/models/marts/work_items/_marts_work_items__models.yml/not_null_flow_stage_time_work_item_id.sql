
    
    



select work_item_id
from "new"."marts"."flow_stage_time"
where work_item_id is null


