
    
    

with all_values as (

    select
        source_system as value_field,
        count(*) as n_records

    from "new"."core"."work_items"
    group by source_system

)

select *
from all_values
where value_field not in (
    'jira','github','gitlab','linear'
)


