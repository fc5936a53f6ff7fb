
    
    



select period_start
from "new"."marts"."flow_daily"
where period_start is null


