
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select day
from "new"."intermediate"."int_reporting_days"
where day is null



  
  
      
    ) dbt_internal_test