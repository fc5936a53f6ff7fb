
    
    



select period_start
from "new"."marts"."pr_weekly"
where period_start is null


