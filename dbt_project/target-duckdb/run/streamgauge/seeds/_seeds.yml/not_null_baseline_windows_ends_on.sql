
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select ends_on
from "new"."seeds"."baseline_windows"
where ends_on is null



  
  
      
    ) dbt_internal_test