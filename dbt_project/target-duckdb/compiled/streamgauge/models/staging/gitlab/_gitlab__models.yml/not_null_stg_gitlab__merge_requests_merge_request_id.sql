
    
    



select merge_request_id
from "new"."staging"."stg_gitlab__merge_requests"
where merge_request_id is null


