
    
    



select period_start
from "new"."marts"."pr_weekly_org"
where period_start is null


