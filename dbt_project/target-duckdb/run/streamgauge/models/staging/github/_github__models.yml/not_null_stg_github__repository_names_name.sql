
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select name
from "new"."staging"."stg_github__repository_names"
where name is null



  
  
      
    ) dbt_internal_test