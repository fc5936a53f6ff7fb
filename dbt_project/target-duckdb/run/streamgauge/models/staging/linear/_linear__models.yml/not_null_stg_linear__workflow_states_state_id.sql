
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select state_id
from "new"."staging"."stg_linear__workflow_states"
where state_id is null



  
  
      
    ) dbt_internal_test