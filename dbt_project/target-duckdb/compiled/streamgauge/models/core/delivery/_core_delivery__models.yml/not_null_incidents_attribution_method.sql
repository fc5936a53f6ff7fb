
    
    



select attribution_method
from "new"."core"."incidents"
where attribution_method is null


