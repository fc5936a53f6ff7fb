
    
    

with all_values as (

    select
        deploy_link_method as value_field,
        count(*) as n_records

    from "new"."core"."pull_requests"
    group by deploy_link_method

)

select *
from all_values
where value_field not in (
    'sha','time'
)


