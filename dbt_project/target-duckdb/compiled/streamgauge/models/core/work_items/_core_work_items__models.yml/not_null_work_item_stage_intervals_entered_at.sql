
    
    



select entered_at
from "new"."core"."work_item_stage_intervals"
where entered_at is null


