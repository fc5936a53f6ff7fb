with days as (
    select day from "new"."intermediate"."int_reporting_days"
),

items as (
    select * from "new"."core"."work_items"
    where deleted_at is null and not completed_in_bulk
),

groups as (
    select distinct team, flow_type from items
),

daily_stages as (
    select day, team, flow_type, sum(items) as wip
    from "new"."intermediate"."int_daily_stage_counts"
    where stage_category in ('active', 'wait')
    group by day, team, flow_type
),

events as (
    select team, flow_type, cast(created_at as date) as day, 'arrival' as event from items
    union all
    select team, flow_type, cast(started_at as date), 'start' from items where started_at is not null
    union all
    select team, flow_type, cast(completed_at as date), 'completion' from items where is_done
    union all
    select team, flow_type, cast(canceled_at as date), 'discard' from items where is_canceled
),

event_counts as (
    select
        day,
        team,
        flow_type,
        sum(case when event = 'arrival' then 1 else 0 end) as arrivals,
        sum(case when event = 'start' then 1 else 0 end) as starts,
        sum(case when event = 'completion' then 1 else 0 end) as throughput,
        sum(case when event = 'discard' then 1 else 0 end) as discarded
    from events
    group by day, team, flow_type
)

select
    days.day as period_start,
    (cast(

    (days.day + cast(1 as bigint) * interval 1 day) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp)) as is_complete,
    groups.team,
    groups.flow_type,
    cast(coalesce(daily_stages.wip, 0) as integer) as wip,
    cast(coalesce(event_counts.arrivals, 0) as integer) as arrivals,
    cast(coalesce(event_counts.starts, 0) as integer) as starts,
    cast(coalesce(event_counts.throughput, 0) as integer) as throughput,
    cast(coalesce(event_counts.discarded, 0) as integer) as discarded,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from days
cross join groups
left join daily_stages
    on daily_stages.day = days.day and daily_stages.team = groups.team and daily_stages.flow_type = groups.flow_type
left join event_counts
    on event_counts.day = days.day and event_counts.team = groups.team and event_counts.flow_type = groups.flow_type