
    
    



select pull_request_id
from "new"."marts"."pr_cycle_time"
where pull_request_id is null


