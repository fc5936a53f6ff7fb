
    
    



select day
from "new"."intermediate"."int_reporting_days"
where day is null


