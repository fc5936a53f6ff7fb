
    
    

with all_values as (

    select
        attribution_method as value_field,
        count(*) as n_records

    from "new"."core"."incidents"
    group by attribution_method

)

select *
from all_values
where value_field not in (
    'deployment_id','pull_request','sha','time','unattributed'
)


