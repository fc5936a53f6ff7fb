
    
    

with all_values as (

    select
        deploy_source as value_field,
        count(*) as n_records

    from "new"."core"."deployments"
    group by deploy_source

)

select *
from all_values
where value_field not in (
    'deployment','workflow_run','pipeline','jenkins_stage','jenkins_build'
)


