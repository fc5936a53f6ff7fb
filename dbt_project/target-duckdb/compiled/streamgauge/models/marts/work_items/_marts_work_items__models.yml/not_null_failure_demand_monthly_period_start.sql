
    
    



select period_start
from "new"."marts"."failure_demand_monthly"
where period_start is null


