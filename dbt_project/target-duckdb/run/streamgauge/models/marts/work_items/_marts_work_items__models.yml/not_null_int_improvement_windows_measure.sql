
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select measure
from "new"."intermediate"."int_improvement_windows"
where measure is null



  
  
      
    ) dbt_internal_test