
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select repository
from "new"."core"."deployments"
where repository is null



  
  
      
    ) dbt_internal_test