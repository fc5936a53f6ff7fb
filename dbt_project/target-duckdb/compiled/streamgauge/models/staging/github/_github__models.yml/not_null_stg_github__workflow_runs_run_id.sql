
    
    



select run_id
from "new"."staging"."stg_github__workflow_runs"
where run_id is null


