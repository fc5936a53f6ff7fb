
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select work_item_id
from "new"."core"."work_item_transitions"
where work_item_id is null



  
  
      
    ) dbt_internal_test