
    
    



select period_start
from "new"."marts"."flow_weekly"
where period_start is null


