with items as (
    select work_item_id, team, completed_at, is_done
    from "new"."core"."work_items"
    where deleted_at is null and not completed_in_bulk
),

flags as (
    select * from "new"."intermediate"."int_work_items_failure_demand"
),

days as (
    select day from "new"."intermediate"."int_reporting_days"
),

months as (
    select cast(date_trunc('month', day) as date) as period_start, max(day) as end_day
    from days
    group by 1
),

teams as (
    select distinct team from items
),

completed as (
    select
        cast(date_trunc('month', items.completed_at) as date) as period_start,
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
        cast(intervals.entered_at as date) as entered_day,
        cast(intervals.exited_at as date) as exited_day
    from "new"."core"."work_item_stage_intervals" as intervals
    inner join items on intervals.work_item_id = items.work_item_id
    where intervals.stage_category in ('active', 'wait')
),

wip_at_end as (select
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
    (cast(

    (months.period_start + cast(1 as bigint) * interval 1 month) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp)) as is_complete,
    teams.team,
    cast(coalesce(completed.completed_items, 0) as integer) as completed_items,
    cast(coalesce(completed.failure_demand_items, 0) as integer) as failure_demand_items,
    cast(completed.failure_demand_items as double precision) / nullif(completed.completed_items, 0) as failure_demand_share,
    cast(coalesce(wip_at_end.wip_items, 0) as integer) as wip_items,
    cast(coalesce(wip_at_end.failure_demand_wip_items, 0) as integer) as failure_demand_wip_items,
    cast(wip_at_end.failure_demand_wip_items as double precision) / nullif(wip_at_end.wip_items, 0) as failure_demand_wip_share,
    cast(coalesce(completed.defects_completed, 0) as integer) as defects_completed,
    cast(coalesce(completed.production_defects_completed, 0) as integer) as production_defects_completed,
    cast(completed.production_defects_completed as double precision) / nullif(completed.defects_completed, 0) as defect_escape_rate,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from months
cross join teams
left join completed on months.period_start = completed.period_start and teams.team = completed.team
left join wip_at_end on months.period_start = wip_at_end.period_start and teams.team = wip_at_end.team