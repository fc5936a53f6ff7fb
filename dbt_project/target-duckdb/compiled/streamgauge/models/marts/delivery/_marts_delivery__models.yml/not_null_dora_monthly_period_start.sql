
    
    



select period_start
from "new"."marts"."dora_monthly"
where period_start is null


