
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

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



  
  
      
    ) dbt_internal_test