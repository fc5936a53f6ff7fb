
    
    



select deployment_id
from "new"."intermediate"."int_deployments_unioned"
where deployment_id is null


