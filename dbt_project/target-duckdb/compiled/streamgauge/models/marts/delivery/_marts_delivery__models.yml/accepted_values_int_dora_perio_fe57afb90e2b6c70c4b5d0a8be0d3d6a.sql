
    
    

with all_values as (

    select
        grain as value_field,
        count(*) as n_records

    from "new"."intermediate"."int_dora_periods_measured"
    group by grain

)

select *
from all_values
where value_field not in (
    'week','month','window'
)


