{#-
    Reporting day × team × flow type: WIP at the end of the day, arrivals, starts, throughput
    (items completed; canceled ones count as discarded instead). Every day from the first
    item's creation to the as-of day has a row for every team and flow type, zeros included;
    the as-of day is marked incomplete. Every measure adds up over teams and flow types.
-#}
with days as (
    select day from {{ ref('int_reporting_days') }}
),

items as (
    select * from {{ ref('work_items') }}
    where {{ flow_items_filter() }}
),

groups as (
    select distinct team, flow_type from items
),

daily_stages as (
    select day, team, flow_type, sum(items) as wip
    from {{ ref('int_daily_stage_counts') }}
    where stage_category in ('active', 'wait')
    group by day, team, flow_type
),

events as (
    select team, flow_type, {{ reporting_date('created_at') }} as day, 'arrival' as event from items
    union all
    select team, flow_type, {{ reporting_date('started_at') }}, 'start' from items where started_at is not null
    union all
    select team, flow_type, {{ reporting_date('completed_at') }}, 'completion' from items where is_done
    union all
    select team, flow_type, {{ reporting_date('canceled_at') }}, 'discard' from items where is_canceled
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
    {{ is_complete('day', 'days.day') }} as is_complete,
    groups.team,
    groups.flow_type,
    cast(coalesce(daily_stages.wip, 0) as integer) as wip,
    cast(coalesce(event_counts.arrivals, 0) as integer) as arrivals,
    cast(coalesce(event_counts.starts, 0) as integer) as starts,
    cast(coalesce(event_counts.throughput, 0) as integer) as throughput,
    cast(coalesce(event_counts.discarded, 0) as integer) as discarded,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from days
cross join groups
left join daily_stages
    on daily_stages.day = days.day and daily_stages.team = groups.team and daily_stages.flow_type = groups.flow_type
left join event_counts
    on event_counts.day = days.day and event_counts.team = groups.team and event_counts.flow_type = groups.flow_type
