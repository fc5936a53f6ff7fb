
    
    



select period_start
from "new"."marts"."flow_monthly"
where period_start is null


