
    
    



select deployment_id
from "new"."staging"."stg_github__deployments"
where deployment_id is null


