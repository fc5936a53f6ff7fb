
    
    



select is_successful
from "new"."core"."deployments"
where is_successful is null


