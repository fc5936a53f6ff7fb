
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

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



  
  
      
    ) dbt_internal_test