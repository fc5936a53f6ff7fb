
    
    



select pipeline_run_id
from "new"."core"."pipeline_runs"
where pipeline_run_id is null


