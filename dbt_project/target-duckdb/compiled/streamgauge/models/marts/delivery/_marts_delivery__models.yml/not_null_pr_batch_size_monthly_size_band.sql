
    
    



select size_band
from "new"."marts"."pr_batch_size_monthly"
where size_band is null


