
    
    



select repository
from "new"."core"."pull_requests"
where repository is null


