
    
    



select deployment_id
from "new"."staging"."stg_gitlab__deployments"
where deployment_id is null


