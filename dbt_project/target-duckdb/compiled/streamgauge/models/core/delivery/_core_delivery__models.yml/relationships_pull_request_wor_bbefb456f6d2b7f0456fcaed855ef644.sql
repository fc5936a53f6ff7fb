
    
    

with child as (
    select work_item_id as from_field
    from "new"."core"."pull_request_work_items"
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


