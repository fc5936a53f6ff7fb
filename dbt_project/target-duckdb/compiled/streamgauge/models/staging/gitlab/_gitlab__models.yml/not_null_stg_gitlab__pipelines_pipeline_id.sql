
    
    



select pipeline_id
from "new"."staging"."stg_gitlab__pipelines"
where pipeline_id is null


