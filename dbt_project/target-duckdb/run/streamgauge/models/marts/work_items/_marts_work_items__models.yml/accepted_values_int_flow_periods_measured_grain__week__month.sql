
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        grain as value_field,
        count(*) as n_records

    from "new"."intermediate"."int_flow_periods_measured"
    group by grain

)

select *
from all_values
where value_field not in (
    'week','month'
)



  
  
      
    ) dbt_internal_test