
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select history_id
from "new"."staging"."stg_linear__issue_history"
where history_id is null



  
  
      
    ) dbt_internal_test