
    
    



select deployment_id
from "new"."core"."deployments"
where deployment_id is null


