
    
    



select starts_on
from "new"."seeds"."baseline_windows"
where starts_on is null


