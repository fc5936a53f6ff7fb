
    
    



select grain
from "new"."intermediate"."int_flow_periods_measured"
where grain is null


