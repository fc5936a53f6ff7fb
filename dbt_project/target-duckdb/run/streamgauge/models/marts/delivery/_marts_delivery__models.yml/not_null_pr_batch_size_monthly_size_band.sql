
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select size_band
from "new"."marts"."pr_batch_size_monthly"
where size_band is null



  
  
      
    ) dbt_internal_test