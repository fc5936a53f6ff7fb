
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select project_path
from "new"."staging"."stg_gitlab__projects"
where project_path is null



  
  
      
    ) dbt_internal_test