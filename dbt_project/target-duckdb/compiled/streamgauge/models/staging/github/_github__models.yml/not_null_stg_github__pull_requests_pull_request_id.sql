
    
    



select pull_request_id
from "new"."staging"."stg_github__pull_requests"
where pull_request_id is null


