
    with intervals as (
        select
            *,
            lead(entered_at) over (partition by work_item_id order by entered_at, interval_number) as next_entered_at,
            row_number() over (partition by work_item_id order by entered_at, interval_number) as position
        from "new"."core"."work_item_stage_intervals"
    ),

    items as (
        select work_item_id, created_at from "new"."core"."work_items"
    )

    select intervals.work_item_id, 'first interval does not start at creation' as problem
    from intervals
    inner join items on intervals.work_item_id = items.work_item_id
    where intervals.position = 1 and intervals.entered_at <> items.created_at

    union all

    select work_item_id, 'gap or overlap between consecutive intervals'
    from intervals
    where next_entered_at is not null and (exited_at is null or exited_at <> next_entered_at)

    union all

    select work_item_id, 'open interval that is not the last'
    from intervals
    where exited_at is null and next_entered_at is not null

    union all

    select items.work_item_id, 'item without an open interval'
    from items
    where not exists (
        select 1 from intervals
        where intervals.work_item_id = items.work_item_id and intervals.exited_at is null
    )
