
    
    



select is_rollback
from (select * from "new"."core"."deployments" where is_production and is_successful) dbt_subquery
where is_rollback is null


