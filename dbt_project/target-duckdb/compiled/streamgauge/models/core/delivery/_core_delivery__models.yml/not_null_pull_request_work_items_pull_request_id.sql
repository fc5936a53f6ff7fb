
    
    



select pull_request_id
from "new"."core"."pull_request_work_items"
where pull_request_id is null


