
    
    



select work_item_id
from "new"."intermediate"."int_work_items_unioned"
where work_item_id is null


