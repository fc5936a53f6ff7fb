
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "new"."core"."pipeline_runs"
    group by status

)

select *
from all_values
where value_field not in (
    'queued','in_progress','completed','waiting','requested','pending','action_required'
)



  
  
      
    ) dbt_internal_test