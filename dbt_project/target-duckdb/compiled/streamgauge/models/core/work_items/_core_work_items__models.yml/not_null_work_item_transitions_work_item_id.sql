
    
    



select work_item_id
from "new"."core"."work_item_transitions"
where work_item_id is null


