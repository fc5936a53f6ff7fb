
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select note_id
from "new"."staging"."stg_gitlab__issue_assignee_changes"
where note_id is null



  
  
      
    ) dbt_internal_test