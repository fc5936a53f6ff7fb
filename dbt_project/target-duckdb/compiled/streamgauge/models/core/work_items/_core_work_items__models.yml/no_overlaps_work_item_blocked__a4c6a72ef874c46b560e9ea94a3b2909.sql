
    with ordered as (
        select
            *,
            lead(blocked_from) over (partition by work_item_id order by blocked_from) as next_start
        from "new"."core"."work_item_blocked_intervals"
    )
    select * from ordered
    where next_start is not null and (blocked_to is null or blocked_to > next_start)
