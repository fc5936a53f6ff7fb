
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select team
from "new"."marts"."pr_batch_size_monthly"
where team is null



  
  
      
    ) dbt_internal_test