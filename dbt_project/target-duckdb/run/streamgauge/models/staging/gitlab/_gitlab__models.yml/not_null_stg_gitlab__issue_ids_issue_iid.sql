
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select issue_iid
from "new"."staging"."stg_gitlab__issue_ids"
where issue_iid is null



  
  
      
    ) dbt_internal_test