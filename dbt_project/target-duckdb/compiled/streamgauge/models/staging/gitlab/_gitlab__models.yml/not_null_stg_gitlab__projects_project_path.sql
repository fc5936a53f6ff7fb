
    
    



select project_path
from "new"."staging"."stg_gitlab__projects"
where project_path is null


