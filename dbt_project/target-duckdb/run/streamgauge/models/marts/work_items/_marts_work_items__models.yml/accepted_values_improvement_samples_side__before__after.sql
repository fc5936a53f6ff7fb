
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        side as value_field,
        count(*) as n_records

    from "new"."marts"."improvement_samples"
    group by side

)

select *
from all_values
where value_field not in (
    'before','after'
)



  
  
      
    ) dbt_internal_test