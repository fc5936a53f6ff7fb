
    
    



select repository
from "new"."staging"."stg_github__repositories"
where repository is null


