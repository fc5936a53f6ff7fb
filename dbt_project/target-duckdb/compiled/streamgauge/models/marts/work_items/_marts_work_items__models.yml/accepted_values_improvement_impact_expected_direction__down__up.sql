
    
    

with all_values as (

    select
        expected_direction as value_field,
        count(*) as n_records

    from "new"."marts"."improvement_impact"
    group by expected_direction

)

select *
from all_values
where value_field not in (
    'down','up'
)


