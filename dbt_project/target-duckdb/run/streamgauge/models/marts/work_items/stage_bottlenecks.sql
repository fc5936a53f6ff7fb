
    

    create  table
      "new"."marts"."stage_bottlenecks__dbt_tmp"
  
    
    as (
      with completed as (
    select
        cast(date_trunc('month', completed_date) as date) as period_start,
        *
    from "new"."marts"."flow_item_metrics"
    where state = 'done' and created_done is not true  -- born done: no stage time to share out
),

intervals as (
    select
        work_item_id,
        stage,
        stage_category,
        entered_at,
        coalesce(exited_at, cast('2026-11-02 00:00:00' as timestamp)) as exited_at
    from "new"."core"."work_item_stage_intervals"
),

item_stage_hours as (
    select
        completed.period_start,
        completed.team,
        completed.work_item_id,
        intervals.stage,
        intervals.stage_category,
        sum(greatest(
        0,
        
        (date_diff('second', greatest(intervals.entered_at, completed.started_at)::timestamp, least(intervals.exited_at, completed.completed_at)::timestamp ))
    
    ) / 3600.0e0)
            as hours
    from completed
    inner join intervals on completed.work_item_id = intervals.work_item_id
    where intervals.entered_at < completed.completed_at and intervals.exited_at > completed.started_at
    group by completed.period_start, completed.team, completed.work_item_id, intervals.stage, intervals.stage_category
),

cycle_totals as (
    select period_start, team, sum(cycle_time_hours) as cycle_hours
    from completed
    group by period_start, team
),

stage_totals as (
    select
        period_start,
        team,
        stage,
        stage_category,
        count(*) as items,
        percentile_cont(0.50) within group (order by hours) as median_hours,
        sum(hours) as total_hours
    from item_stage_hours
    where hours > 0
    group by period_start, team, stage, stage_category
),

stages as (
    select stage, stage_order from "new"."seeds"."stages"
),

ranked as (
    select
        stage_totals.*,
        sum(case when stage_category <> 'active' then total_hours else 0 end)
            over (partition by period_start, team) as waiting_hours,
        row_number() over (
            partition by period_start, team
            order by case when stage_category <> 'active' then total_hours else -1 end desc, stage
        ) as wait_rank
    from stage_totals
)

select
    ranked.period_start,
    (cast(

    (ranked.period_start + cast(1 as bigint) * interval 1 month) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp)) as is_complete,
    ranked.team,
    ranked.stage,
    stages.stage_order,
    ranked.stage_category,
    cast(ranked.items as integer) as items,
    ranked.median_hours,
    ranked.total_hours,
    ranked.total_hours / nullif(cycle_totals.cycle_hours, 0) as share_of_cycle_time,
    case when ranked.stage_category <> 'active' then ranked.total_hours / nullif(ranked.waiting_hours, 0) end
        as wait_share,
    ranked.wait_rank = 1 and ranked.stage_category <> 'active' as is_constraint,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from ranked
inner join cycle_totals on ranked.period_start = cycle_totals.period_start and ranked.team = cycle_totals.team
left join stages on ranked.stage = stages.stage
    );
    
  