
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select work_item_id as from_field
    from "new"."core"."work_item_stage_intervals"
    where work_item_id is not null
),

parent as (
    select work_item_id as to_field
    from "new"."core"."work_items"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test