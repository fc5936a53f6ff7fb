
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        handoff_kind as value_field,
        count(*) as n_records

    from "new"."core"."work_item_handoffs"
    group by handoff_kind

)

select *
from all_values
where value_field not in (
    'assignee','team'
)



  
  
      
    ) dbt_internal_test