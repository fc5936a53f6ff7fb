
    
    



select transition_id
from "new"."core"."work_item_transitions"
where transition_id is null


