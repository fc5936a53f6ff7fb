
    
    



select period_start
from "new"."marts"."flow_monthly_org"
where period_start is null


