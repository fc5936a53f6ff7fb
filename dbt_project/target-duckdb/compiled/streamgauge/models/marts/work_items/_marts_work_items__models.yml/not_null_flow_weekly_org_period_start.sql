
    
    



select period_start
from "new"."marts"."flow_weekly_org"
where period_start is null


