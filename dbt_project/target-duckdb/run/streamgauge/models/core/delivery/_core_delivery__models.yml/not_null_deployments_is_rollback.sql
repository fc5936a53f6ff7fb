
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_rollback
from (select * from "new"."core"."deployments" where is_production and is_successful) dbt_subquery
where is_rollback is null



  
  
      
    ) dbt_internal_test