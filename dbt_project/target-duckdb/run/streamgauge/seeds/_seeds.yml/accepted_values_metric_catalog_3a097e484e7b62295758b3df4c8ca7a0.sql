
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        aggregation as value_field,
        count(*) as n_records

    from "new"."seeds"."metric_catalogue"
    group by aggregation

)

select *
from all_values
where value_field not in (
    'sum','recompute','never'
)



  
  
      
    ) dbt_internal_test