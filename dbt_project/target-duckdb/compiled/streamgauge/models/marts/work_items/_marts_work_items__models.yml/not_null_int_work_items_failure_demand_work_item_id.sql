
    
    



select work_item_id
from "new"."intermediate"."int_work_items_failure_demand"
where work_item_id is null


