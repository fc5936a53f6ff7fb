{#-
    Failure demand and defect escape per calendar month (reporting_timezone) × team.
    Failure demand: the share of the items completed in the month, and of the work in progress
    at the month's end (the end of its last day, or of the as-of day), that are defects or linked
    to an incident. Defect escape rate: of the defects completed in the month (incidents count as
    defects), the share found in production. Items created done count as completed; bulk
    completions and deleted items are left out, as in every flow mart. Every month from the first
    item to the as-of month has a row per team, zeros included.
-#}
with items as (
    select work_item_id, team, completed_at, is_done
    from {{ ref('work_items') }}
    where {{ flow_items_filter() }}
),

flags as (
    select * from {{ ref('int_work_items_failure_demand') }}
),

days as (
    select day from {{ ref('int_reporting_days') }}
),

months as (
    select cast({{ dbt.date_trunc('month', 'day') }} as date) as period_start, max(day) as end_day
    from days
    group by 1
),

teams as (
    select distinct team from items
),

completed as (
    select
        {{ period_start('month', 'items.completed_at') }} as period_start,
        items.team,
        count(*) as completed_items,
        sum(case when flags.is_failure_demand then 1 else 0 end) as failure_demand_items,
        sum(case when flags.is_defect then 1 else 0 end) as defects_completed,
        sum(case when flags.is_production_defect then 1 else 0 end) as production_defects_completed
    from items
    inner join flags on items.work_item_id = flags.work_item_id
    where items.is_done
    group by 1, 2
),

started_visits as (
    select
        intervals.work_item_id,
        items.team,
        {{ reporting_date('intervals.entered_at') }} as entered_day,
        {{ reporting_date('intervals.exited_at') }} as exited_day
    from {{ ref('work_item_stage_intervals') }} as intervals
    inner join items on intervals.work_item_id = items.work_item_id
    where intervals.stage_category in ('active', 'wait')
),

wip_at_end as (
    {#- in progress when the month's last day ended: the same rule as flow_daily's WIP -#}
    select
        months.period_start,
        started_visits.team,
        count(distinct started_visits.work_item_id) as wip_items,
        count(distinct case when flags.is_failure_demand then started_visits.work_item_id end) as failure_demand_wip_items
    from months
    inner join started_visits
        on started_visits.entered_day <= months.end_day
        and (started_visits.exited_day is null or started_visits.exited_day > months.end_day)
    inner join flags on started_visits.work_item_id = flags.work_item_id
    group by 1, 2
)

select
    months.period_start,
    {{ is_complete('month', 'months.period_start') }} as is_complete,
    teams.team,
    cast(coalesce(completed.completed_items, 0) as integer) as completed_items,
    cast(coalesce(completed.failure_demand_items, 0) as integer) as failure_demand_items,
    cast(completed.failure_demand_items as {{ type_double() }}) / nullif(completed.completed_items, 0) as failure_demand_share,
    cast(coalesce(wip_at_end.wip_items, 0) as integer) as wip_items,
    cast(coalesce(wip_at_end.failure_demand_wip_items, 0) as integer) as failure_demand_wip_items,
    cast(wip_at_end.failure_demand_wip_items as {{ type_double() }}) / nullif(wip_at_end.wip_items, 0) as failure_demand_wip_share,
    cast(coalesce(completed.defects_completed, 0) as integer) as defects_completed,
    cast(coalesce(completed.production_defects_completed, 0) as integer) as production_defects_completed,
    cast(completed.production_defects_completed as {{ type_double() }}) / nullif(completed.defects_completed, 0) as defect_escape_rate,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from months
cross join teams
left join completed on months.period_start = completed.period_start and teams.team = completed.team
left join wip_at_end on months.period_start = wip_at_end.period_start and teams.team = wip_at_end.team
