
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        action as value_field,
        count(*) as n_records

    from "new"."staging"."stg_gitlab__issue_assignee_changes"
    group by action

)

select *
from all_values
where value_field not in (
    'assigned','unassigned'
)



  
  
      
    ) dbt_internal_test