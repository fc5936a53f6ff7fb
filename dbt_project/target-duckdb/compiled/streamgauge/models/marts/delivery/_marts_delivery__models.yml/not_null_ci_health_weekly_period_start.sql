
    
    



select period_start
from "new"."marts"."ci_health_weekly"
where period_start is null


