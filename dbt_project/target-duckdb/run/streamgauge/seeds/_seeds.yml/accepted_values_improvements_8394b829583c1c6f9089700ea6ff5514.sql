
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        measure as value_field,
        count(*) as n_records

    from "new"."seeds"."improvements"
    group by measure

)

select *
from all_values
where value_field not in (
    'cycle_time_p50_hours','cycle_time_p85_hours','lead_time_p85_hours','review_wait_hours_p50','pickup_hours_p50','review_hours_p50','throughput','wip','flow_efficiency','deployments','change_failure_rate'
)



  
  
      
    ) dbt_internal_test