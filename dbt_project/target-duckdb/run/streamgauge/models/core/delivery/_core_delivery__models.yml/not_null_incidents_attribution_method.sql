
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select attribution_method
from "new"."core"."incidents"
where attribution_method is null



  
  
      
    ) dbt_internal_test