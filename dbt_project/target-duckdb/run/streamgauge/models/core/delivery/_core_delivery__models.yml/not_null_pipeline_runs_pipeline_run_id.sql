
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select pipeline_run_id
from "new"."core"."pipeline_runs"
where pipeline_run_id is null



  
  
      
    ) dbt_internal_test