
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select transitioned_at
from "new"."core"."work_item_transitions"
where transitioned_at is null



  
  
      
    ) dbt_internal_test