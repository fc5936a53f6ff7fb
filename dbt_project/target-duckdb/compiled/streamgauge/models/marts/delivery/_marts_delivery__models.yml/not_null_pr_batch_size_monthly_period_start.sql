
    
    



select period_start
from "new"."marts"."pr_batch_size_monthly"
where period_start is null


