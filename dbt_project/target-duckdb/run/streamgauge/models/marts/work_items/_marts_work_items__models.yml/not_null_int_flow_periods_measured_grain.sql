
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select grain
from "new"."intermediate"."int_flow_periods_measured"
where grain is null



  
  
      
    ) dbt_internal_test