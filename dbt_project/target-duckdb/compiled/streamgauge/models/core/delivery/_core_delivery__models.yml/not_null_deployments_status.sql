
    
    



select status
from "new"."core"."deployments"
where status is null


