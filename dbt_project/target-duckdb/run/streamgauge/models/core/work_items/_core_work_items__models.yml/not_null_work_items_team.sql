
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select team
from "new"."core"."work_items"
where team is null



  
  
      
    ) dbt_internal_test