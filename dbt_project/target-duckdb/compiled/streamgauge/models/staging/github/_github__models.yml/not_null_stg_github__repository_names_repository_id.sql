
    
    



select repository_id
from "new"."staging"."stg_github__repository_names"
where repository_id is null


