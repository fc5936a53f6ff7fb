with days as (
    select day from "new"."intermediate"."int_reporting_days"
),

bounds as (
    select min(day) as first_day, max(day) as last_day from days
),

items as (
    select work_item_id, team, flow_type from "new"."core"."work_items"
    where deleted_at is null and not completed_in_bulk
),

visits as (
    select items.team, items.flow_type, intervals.stage, intervals.stage_category, intervals.entered_at, intervals.exited_at
    from "new"."core"."work_item_stage_intervals" as intervals
    inner join items on intervals.work_item_id = items.work_item_id
),

changes as (
    select team, flow_type, stage, stage_category, cast(entered_at as date) as day, 1 as change
    from visits
    union all
    select team, flow_type, stage, stage_category, cast(exited_at as date) as day, -1 as change
    from visits
    where exited_at is not null
),

daily_changes as (select
        changes.team,
        changes.flow_type,
        changes.stage,
        changes.stage_category,
        case when changes.day < bounds.first_day then bounds.first_day else changes.day end as day,
        sum(changes.change) as change
    from changes
    cross join bounds
    where changes.day <= bounds.last_day
    group by 1, 2, 3, 4, 5
),

groups as (
    select distinct team, flow_type, stage, stage_category from daily_changes
),

counts as (
    select
        days.day,
        groups.team,
        groups.flow_type,
        groups.stage,
        groups.stage_category,
        sum(coalesce(daily_changes.change, 0)) over (
            partition by groups.team, groups.flow_type, groups.stage order by days.day rows unbounded preceding
        ) as items
    from days
    cross join groups
    left join daily_changes
        on daily_changes.day = days.day
        and daily_changes.team = groups.team
        and daily_changes.flow_type = groups.flow_type
        and daily_changes.stage = groups.stage
)

select day, team, flow_type, stage, stage_category, cast(items as integer) as items
from counts
where items > 0