
    
    



select repository_id
from "new"."staging"."stg_github__repositories"
where repository_id is null


