
    
    



select ends_on
from "new"."seeds"."baseline_windows"
where ends_on is null


