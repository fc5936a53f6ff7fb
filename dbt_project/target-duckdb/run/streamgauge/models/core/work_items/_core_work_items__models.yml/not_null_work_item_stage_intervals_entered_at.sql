
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select entered_at
from "new"."core"."work_item_stage_intervals"
where entered_at is null



  
  
      
    ) dbt_internal_test