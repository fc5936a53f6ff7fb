
    
    



select change_failure_rate_tier
from (select * from "new"."marts"."dora_summary" where change_failure_rate is not null) dbt_subquery
where change_failure_rate_tier is null


