
    
    

with child as (
    select pull_request_id as from_field
    from "new"."core"."pull_request_work_items"
    where pull_request_id is not null
),

parent as (
    select pull_request_id as to_field
    from "new"."core"."pull_requests"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null


