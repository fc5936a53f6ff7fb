
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select stage
from "new"."intermediate"."int_status_stage_mapping"
where stage is null



  
  
      
    ) dbt_internal_test