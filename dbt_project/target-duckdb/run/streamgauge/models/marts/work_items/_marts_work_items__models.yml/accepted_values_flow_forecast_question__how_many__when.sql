
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        question as value_field,
        count(*) as n_records

    from "new"."marts"."flow_forecast"
    group by question

)

select *
from all_values
where value_field not in (
    'how_many','when'
)



  
  
      
    ) dbt_internal_test