{#-
    The totals under a value stream map, one row per team, over the same items as
    value_stream_stages (completed in the trailing `value_stream_window_days`): lead and cycle
    time, active and wait time per item (the ladder's totals), flow efficiency over cycle time
    and over lead time (ratios of sums), the rework moves, and the constraint stage.
-#}
with items as (
    select * from {{ ref('int_value_stream_items') }}
),

constraints as (
    select team, stage as constraint_stage from {{ ref('value_stream_stages') }}
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
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from measured
left join constraints on measured.team = constraints.team
