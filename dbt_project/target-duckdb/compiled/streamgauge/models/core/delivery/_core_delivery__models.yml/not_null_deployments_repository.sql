
    
    



select repository
from "new"."core"."deployments"
where repository is null


