
    
    



select pull_request_id
from "new"."core"."pull_requests"
where pull_request_id is null


