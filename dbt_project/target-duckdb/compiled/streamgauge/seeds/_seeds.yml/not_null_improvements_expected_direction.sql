
    
    



select expected_direction
from "new"."seeds"."improvements"
where expected_direction is null


