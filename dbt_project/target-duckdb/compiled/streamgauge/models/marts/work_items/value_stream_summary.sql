with items as (
    select * from "new"."intermediate"."int_value_stream_items"
),

constraints as (
    select team, stage as constraint_stage from "new"."marts"."value_stream_stages"
    where is_constraint
),

measured as (
    select
        team,
        min(window_start) as window_start,
        max(window_end) as window_end,
        count(*) as completed_items,
        percentile_cont(0.50) within group (order by lead_time_hours) as lead_time_p50_hours,
        percentile_cont(0.85) within group (order by lead_time_hours) as lead_time_p85_hours,
        avg(lead_time_hours) as lead_time_mean_hours,
        percentile_cont(0.50) within group (order by cycle_time_hours) as cycle_time_p50_hours,
        percentile_cont(0.85) within group (order by cycle_time_hours) as cycle_time_p85_hours,
        avg(cycle_time_hours) as cycle_time_mean_hours,
        avg(active_hours) as active_hours_per_item,
        avg(lead_time_hours - active_hours) as wait_hours_per_item,
        sum(active_hours) / nullif(sum(cycle_time_hours), 0) as flow_efficiency,
        sum(active_hours) / nullif(sum(lead_time_hours), 0) as lead_flow_efficiency,
        sum(rework_count) as rework_moves
    from items
    group by team
)

select
    measured.team,
    measured.window_start,
    measured.window_end,
    cast(measured.completed_items as integer) as completed_items,
    measured.lead_time_p50_hours,
    measured.lead_time_p85_hours,
    measured.lead_time_mean_hours,
    measured.cycle_time_p50_hours,
    measured.cycle_time_p85_hours,
    measured.cycle_time_mean_hours,
    measured.active_hours_per_item,
    measured.wait_hours_per_item,
    measured.flow_efficiency,
    measured.lead_flow_efficiency,
    cast(measured.rework_moves as integer) as rework_moves,
    constraints.constraint_stage,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from measured
left join constraints on measured.team = constraints.team