
    
    



select measure
from "new"."intermediate"."int_improvement_windows"
where measure is null


