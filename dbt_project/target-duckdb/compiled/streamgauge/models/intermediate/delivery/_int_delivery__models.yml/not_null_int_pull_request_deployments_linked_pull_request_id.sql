
    
    



select pull_request_id
from "new"."intermediate"."int_pull_request_deployments_linked"
where pull_request_id is null


