
    
    



select recovery_tier
from (select * from "new"."marts"."dora_summary" where failed_deployment_recovery_p50_hours is not null) dbt_subquery
where recovery_tier is null


