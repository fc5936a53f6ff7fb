
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select merge_request_id
from "new"."staging"."stg_gitlab__merge_requests"
where merge_request_id is null



  
  
      
    ) dbt_internal_test