
    
    



select team
from "new"."marts"."pr_batch_size_monthly"
where team is null


