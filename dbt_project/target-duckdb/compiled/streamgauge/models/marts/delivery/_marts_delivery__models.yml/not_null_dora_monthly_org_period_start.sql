
    
    



select period_start
from "new"."marts"."dora_monthly_org"
where period_start is null


