
    
    



select work_item_id
from "new"."intermediate"."int_work_item_statuses"
where work_item_id is null


