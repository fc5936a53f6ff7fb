
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select expected_direction
from "new"."seeds"."improvements"
where expected_direction is null



  
  
      
    ) dbt_internal_test