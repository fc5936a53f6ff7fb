
    
    



select work_item_id
from "new"."intermediate"."int_value_stream_items"
where work_item_id is null


