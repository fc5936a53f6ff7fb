
    
    

with all_values as (

    select
        scope as value_field,
        count(*) as n_records

    from "new"."intermediate"."int_dora_periods_measured"
    group by scope

)

select *
from all_values
where value_field not in (
    'repository','organisation'
)


