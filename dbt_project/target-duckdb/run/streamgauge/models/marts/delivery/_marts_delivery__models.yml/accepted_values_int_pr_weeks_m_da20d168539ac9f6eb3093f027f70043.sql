
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        scope as value_field,
        count(*) as n_records

    from "new"."intermediate"."int_pr_weeks_measured"
    group by scope

)

select *
from all_values
where value_field not in (
    'repository','organisation'
)



  
  
      
    ) dbt_internal_test