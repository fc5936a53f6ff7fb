
    
    



select job
from "new"."staging"."stg_jenkins__jobs"
where job is null


