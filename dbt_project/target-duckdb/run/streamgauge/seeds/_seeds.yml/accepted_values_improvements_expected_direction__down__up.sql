
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        expected_direction as value_field,
        count(*) as n_records

    from "new"."seeds"."improvements"
    group by expected_direction

)

select *
from all_values
where value_field not in (
    'down','up'
)



  
  
      
    ) dbt_internal_test