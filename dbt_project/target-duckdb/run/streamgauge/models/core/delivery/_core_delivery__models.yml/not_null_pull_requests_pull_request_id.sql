
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select pull_request_id
from "new"."core"."pull_requests"
where pull_request_id is null



  
  
      
    ) dbt_internal_test