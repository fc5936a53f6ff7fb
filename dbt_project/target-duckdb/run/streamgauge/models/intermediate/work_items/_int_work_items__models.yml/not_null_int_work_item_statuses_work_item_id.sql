
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select work_item_id
from "new"."intermediate"."int_work_item_statuses"
where work_item_id is null



  
  
      
    ) dbt_internal_test