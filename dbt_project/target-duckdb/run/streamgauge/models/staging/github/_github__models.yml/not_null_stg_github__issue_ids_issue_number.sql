
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select issue_number
from "new"."staging"."stg_github__issue_ids"
where issue_number is null



  
  
      
    ) dbt_internal_test