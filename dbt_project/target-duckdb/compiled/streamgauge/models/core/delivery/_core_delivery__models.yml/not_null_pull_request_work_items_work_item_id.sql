
    
    



select work_item_id
from "new"."core"."pull_request_work_items"
where work_item_id is null


