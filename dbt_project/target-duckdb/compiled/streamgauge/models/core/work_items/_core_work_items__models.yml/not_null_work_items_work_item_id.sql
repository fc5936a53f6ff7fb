
    
    



select work_item_id
from "new"."core"."work_items"
where work_item_id is null


