
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select issue_id
from "new"."staging"."stg_jira__issue_ids"
where issue_id is null



  
  
      
    ) dbt_internal_test