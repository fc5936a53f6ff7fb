
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select build_key
from "new"."staging"."stg_jenkins__build_revisions"
where build_key is null



  
  
      
    ) dbt_internal_test