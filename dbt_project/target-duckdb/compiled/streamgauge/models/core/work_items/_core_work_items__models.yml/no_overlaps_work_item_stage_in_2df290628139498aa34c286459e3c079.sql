
    with ordered as (
        select
            *,
            lead(entered_at) over (partition by work_item_id order by entered_at) as next_start
        from "new"."core"."work_item_stage_intervals"
    )
    select * from ordered
    where next_start is not null and (exited_at is null or exited_at > next_start)
