
    
    



select grain
from "new"."intermediate"."int_dora_periods_measured"
where grain is null


