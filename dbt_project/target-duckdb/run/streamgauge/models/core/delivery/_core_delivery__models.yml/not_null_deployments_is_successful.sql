
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_successful
from "new"."core"."deployments"
where is_successful is null



  
  
      
    ) dbt_internal_test