with blocked as (
    select * from "new"."intermediate"."int_blocked_intervals_merged"
)

select
    work_item_id,
    cast(block_number as integer) as block_number,
    blocked_from,
    blocked_to,
    
        (date_diff('second', blocked_from::timestamp, coalesce(blocked_to, cast('2026-11-02 00:00:00' as timestamp))::timestamp ))
     / 3600.0e0 as duration_hours,
    reasons,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from blocked