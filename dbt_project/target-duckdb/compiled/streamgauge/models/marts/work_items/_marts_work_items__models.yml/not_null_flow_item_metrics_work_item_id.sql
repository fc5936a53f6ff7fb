
    
    



select work_item_id
from "new"."marts"."flow_item_metrics"
where work_item_id is null


