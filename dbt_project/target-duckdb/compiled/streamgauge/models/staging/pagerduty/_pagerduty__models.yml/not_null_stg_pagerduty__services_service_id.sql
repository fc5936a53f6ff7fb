
    
    



select service_id
from "new"."staging"."stg_pagerduty__services"
where service_id is null


