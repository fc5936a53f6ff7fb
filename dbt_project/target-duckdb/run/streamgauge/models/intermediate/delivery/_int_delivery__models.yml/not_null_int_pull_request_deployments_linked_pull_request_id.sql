
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select pull_request_id
from "new"."intermediate"."int_pull_request_deployments_linked"
where pull_request_id is null



  
  
      
    ) dbt_internal_test