
    
    



select created_at
from "new"."core"."deployments"
where created_at is null


