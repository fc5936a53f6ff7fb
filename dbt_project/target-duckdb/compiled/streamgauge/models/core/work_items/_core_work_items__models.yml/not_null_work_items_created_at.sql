
    
    



select created_at
from "new"."core"."work_items"
where created_at is null


