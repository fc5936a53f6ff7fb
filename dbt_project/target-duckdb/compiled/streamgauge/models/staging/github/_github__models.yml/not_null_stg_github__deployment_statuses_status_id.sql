
    
    



select status_id
from "new"."staging"."stg_github__deployment_statuses"
where status_id is null


