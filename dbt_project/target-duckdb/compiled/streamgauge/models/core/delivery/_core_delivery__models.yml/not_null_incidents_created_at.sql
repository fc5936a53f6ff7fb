
    
    



select created_at
from "new"."core"."incidents"
where created_at is null


