
    
    



select work_item_id
from "new"."intermediate"."int_work_item_handoffs_measured"
where work_item_id is null


