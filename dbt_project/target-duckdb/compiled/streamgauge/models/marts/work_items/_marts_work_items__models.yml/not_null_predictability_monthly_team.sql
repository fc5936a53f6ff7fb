
    
    



select team
from "new"."marts"."predictability_monthly"
where team is null


