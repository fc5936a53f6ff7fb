
    
    



select work_item_id
from "new"."marts"."aging_wip"
where work_item_id is null


