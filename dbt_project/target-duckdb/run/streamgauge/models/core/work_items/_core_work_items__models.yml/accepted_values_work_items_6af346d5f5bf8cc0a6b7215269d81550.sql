
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        flow_type as value_field,
        count(*) as n_records

    from "new"."core"."work_items"
    group by flow_type

)

select *
from all_values
where value_field not in (
    'feature','defect','risk','debt'
)



  
  
      
    ) dbt_internal_test