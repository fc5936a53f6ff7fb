
    
    



select project_id
from "new"."staging"."stg_gitlab__projects"
where project_id is null


