
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select deployment_id
from "new"."staging"."stg_github__deployment_statuses"
where deployment_id is null



  
  
      
    ) dbt_internal_test