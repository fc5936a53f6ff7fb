
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select pull_request_id
from "new"."marts"."pr_cycle_time"
where pull_request_id is null



  
  
      
    ) dbt_internal_test