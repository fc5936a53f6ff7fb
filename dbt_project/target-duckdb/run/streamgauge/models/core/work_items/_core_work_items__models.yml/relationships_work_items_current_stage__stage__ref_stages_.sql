
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select current_stage as from_field
    from "new"."core"."work_items"
    where current_stage is not null
),

parent as (
    select stage as to_field
    from "new"."seeds"."stages"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test