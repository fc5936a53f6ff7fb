
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select job
from "new"."staging"."stg_jenkins__jobs"
where job is null



  
  
      
    ) dbt_internal_test