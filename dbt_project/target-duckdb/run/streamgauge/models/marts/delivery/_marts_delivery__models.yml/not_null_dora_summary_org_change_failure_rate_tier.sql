
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select change_failure_rate_tier
from (select * from "new"."marts"."dora_summary_org" where change_failure_rate is not null) dbt_subquery
where change_failure_rate_tier is null



  
  
      
    ) dbt_internal_test