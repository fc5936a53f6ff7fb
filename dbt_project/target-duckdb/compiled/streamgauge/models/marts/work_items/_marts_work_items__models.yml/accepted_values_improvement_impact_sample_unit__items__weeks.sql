
    
    

with all_values as (

    select
        sample_unit as value_field,
        count(*) as n_records

    from "new"."marts"."improvement_impact"
    group by sample_unit

)

select *
from all_values
where value_field not in (
    'items','weeks'
)


