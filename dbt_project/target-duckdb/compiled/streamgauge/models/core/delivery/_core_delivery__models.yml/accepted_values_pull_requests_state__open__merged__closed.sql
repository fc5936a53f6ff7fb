
    
    

with all_values as (

    select
        state as value_field,
        count(*) as n_records

    from "new"."core"."pull_requests"
    group by state

)

select *
from all_values
where value_field not in (
    'open','merged','closed'
)


