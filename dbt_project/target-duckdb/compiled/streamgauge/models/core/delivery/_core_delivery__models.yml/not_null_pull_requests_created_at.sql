
    
    



select created_at
from "new"."core"."pull_requests"
where created_at is null


