
    
    



select measure
from "new"."seeds"."improvements"
where measure is null


