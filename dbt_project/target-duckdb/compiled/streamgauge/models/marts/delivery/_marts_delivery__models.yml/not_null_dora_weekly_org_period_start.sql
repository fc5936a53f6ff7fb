
    
    



select period_start
from "new"."marts"."dora_weekly_org"
where period_start is null


