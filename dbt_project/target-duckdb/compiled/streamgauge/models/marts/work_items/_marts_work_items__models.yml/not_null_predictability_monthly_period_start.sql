
    
    



select period_start
from "new"."marts"."predictability_monthly"
where period_start is null


