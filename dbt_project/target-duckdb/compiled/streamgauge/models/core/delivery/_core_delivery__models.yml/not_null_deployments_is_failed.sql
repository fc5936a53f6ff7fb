
    
    



select is_failed
from (select * from "new"."core"."deployments" where is_production and is_successful) dbt_subquery
where is_failed is null


