
    
    



select is_production
from "new"."core"."deployments"
where is_production is null


