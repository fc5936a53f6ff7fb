
    
    



select finished_at
from (select * from "new"."core"."deployments" where is_successful) dbt_subquery
where finished_at is null


