
    
    



select work_item_id
from "new"."marts"."value_stream_items"
where work_item_id is null


