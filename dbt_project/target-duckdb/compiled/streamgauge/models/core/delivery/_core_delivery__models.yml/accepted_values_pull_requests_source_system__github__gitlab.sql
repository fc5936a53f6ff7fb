
    
    

with all_values as (

    select
        source_system as value_field,
        count(*) as n_records

    from "new"."core"."pull_requests"
    group by source_system

)

select *
from all_values
where value_field not in (
    'github','gitlab'
)


