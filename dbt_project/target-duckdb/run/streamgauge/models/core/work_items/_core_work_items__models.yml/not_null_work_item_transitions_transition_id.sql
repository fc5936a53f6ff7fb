
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select transition_id
from "new"."core"."work_item_transitions"
where transition_id is null



  
  
      
    ) dbt_internal_test