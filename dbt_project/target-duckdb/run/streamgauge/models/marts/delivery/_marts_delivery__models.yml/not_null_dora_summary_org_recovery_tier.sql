
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select recovery_tier
from (select * from "new"."marts"."dora_summary_org" where failed_deployment_recovery_p50_hours is not null) dbt_subquery
where recovery_tier is null



  
  
      
    ) dbt_internal_test