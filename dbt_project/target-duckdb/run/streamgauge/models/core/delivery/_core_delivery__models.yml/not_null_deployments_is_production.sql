
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_production
from "new"."core"."deployments"
where is_production is null



  
  
      
    ) dbt_internal_test