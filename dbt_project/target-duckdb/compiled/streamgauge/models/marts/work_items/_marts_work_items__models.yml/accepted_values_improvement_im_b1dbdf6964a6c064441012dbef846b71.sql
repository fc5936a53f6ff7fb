
    
    

with all_values as (

    select
        verdict as value_field,
        count(*) as n_records

    from "new"."marts"."improvement_impact"
    group by verdict

)

select *
from all_values
where value_field not in (
    'improved','worse','no clear change','too little data'
)


