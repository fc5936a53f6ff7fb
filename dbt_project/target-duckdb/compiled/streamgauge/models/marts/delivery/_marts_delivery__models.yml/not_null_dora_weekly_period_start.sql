
    
    



select period_start
from "new"."marts"."dora_weekly"
where period_start is null


