
    
    



select lead_time_tier
from (select * from "new"."marts"."dora_summary" where lead_time_p50_hours is not null) dbt_subquery
where lead_time_tier is null


