
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        mapping_method as value_field,
        count(*) as n_records

    from "new"."intermediate"."int_status_stage_mapping"
    group by mapping_method

)

select *
from all_values
where value_field not in (
    'seed','fallback','unmapped'
)



  
  
      
    ) dbt_internal_test