
    
    



select work_item_id
from "new"."core"."work_item_stage_intervals"
where work_item_id is null


