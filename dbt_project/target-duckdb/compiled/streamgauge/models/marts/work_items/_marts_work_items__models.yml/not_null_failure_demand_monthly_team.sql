
    
    



select team
from "new"."marts"."failure_demand_monthly"
where team is null


