
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select finished_at
from (select * from "new"."core"."deployments" where is_successful) dbt_subquery
where finished_at is null



  
  
      
    ) dbt_internal_test