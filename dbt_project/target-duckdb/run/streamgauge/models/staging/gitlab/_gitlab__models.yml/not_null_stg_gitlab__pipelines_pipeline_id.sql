
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select pipeline_id
from "new"."staging"."stg_gitlab__pipelines"
where pipeline_id is null



  
  
      
    ) dbt_internal_test