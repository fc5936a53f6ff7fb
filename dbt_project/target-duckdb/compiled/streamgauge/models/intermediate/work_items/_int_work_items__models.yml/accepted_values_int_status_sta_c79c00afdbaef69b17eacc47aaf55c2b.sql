
    
    

with all_values as (

    select
        mapping_method as value_field,
        count(*) as n_records

    from "new"."intermediate"."int_status_stage_mapping"
    group by mapping_method

)

select *
from all_values
where value_field not in (
    'seed','fallback','unmapped'
)


