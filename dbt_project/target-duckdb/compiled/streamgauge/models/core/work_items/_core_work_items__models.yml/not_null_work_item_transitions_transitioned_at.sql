
    
    



select transitioned_at
from "new"."core"."work_item_transitions"
where transitioned_at is null


