
    
    



select name
from "new"."staging"."stg_github__repository_names"
where name is null


