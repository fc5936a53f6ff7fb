
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select deploy_frequency_tier
from (select * from "new"."marts"."dora_summary" where deploy_days_per_week_p50 is not null) dbt_subquery
where deploy_frequency_tier is null



  
  
      
    ) dbt_internal_test