
    
    



select team
from "new"."core"."work_items"
where team is null


