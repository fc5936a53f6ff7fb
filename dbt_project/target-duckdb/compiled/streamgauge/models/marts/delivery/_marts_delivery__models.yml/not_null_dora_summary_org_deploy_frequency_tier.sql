
    
    



select deploy_frequency_tier
from (select * from "new"."marts"."dora_summary_org" where deploy_days_per_week_p50 is not null) dbt_subquery
where deploy_frequency_tier is null


