
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select verdict
from "new"."marts"."improvement_impact"
where verdict is null



  
  
      
    ) dbt_internal_test