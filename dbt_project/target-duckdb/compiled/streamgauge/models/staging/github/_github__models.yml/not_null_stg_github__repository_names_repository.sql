
    
    



select repository
from "new"."staging"."stg_github__repository_names"
where repository is null


