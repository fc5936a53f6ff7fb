
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select repository_id
from "new"."staging"."stg_github__repository_names"
where repository_id is null



  
  
      
    ) dbt_internal_test