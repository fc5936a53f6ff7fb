
    
    



select deployment_id
from "new"."staging"."stg_github__deployment_statuses"
where deployment_id is null


