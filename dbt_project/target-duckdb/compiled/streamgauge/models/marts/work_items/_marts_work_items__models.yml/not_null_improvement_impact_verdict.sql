
    
    



select verdict
from "new"."marts"."improvement_impact"
where verdict is null


