
    

    create  table
      "new"."marts"."value_stream_stages__dbt_tmp"
  
    
    as (
      with items as (
    select * from "new"."intermediate"."int_value_stream_items"
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

blocked as (
    select work_item_id, blocked_from, coalesce(blocked_to, cast('2026-11-02 00:00:00' as timestamp)) as blocked_to
    from "new"."core"."work_item_blocked_intervals"
),

stages as (
    select stage, stage_order from "new"."seeds"."stages"
),

item_stage_hours as (
    select
        items.team,
        items.work_item_id,
        intervals.stage,
        intervals.stage_category,
        sum(greatest(
        0,
        
        (date_diff('second', greatest(intervals.entered_at, items.created_at)::timestamp, least(intervals.exited_at, items.completed_at)::timestamp ))
    
    ) / 3600.0e0)
            as hours
    from items
    inner join intervals on items.work_item_id = intervals.work_item_id
    where intervals.entered_at < items.completed_at and intervals.exited_at > items.created_at
    group by items.team, items.work_item_id, intervals.stage, intervals.stage_category
),

blocked_while_active as (
    select
        items.work_item_id,
        intervals.stage,
        sum(greatest(
        0,
        
        (date_diff('second', greatest(greatest(intervals.entered_at, blocked.blocked_from), items.created_at)::timestamp, least(least(intervals.exited_at, blocked.blocked_to), items.completed_at)::timestamp ))
    
    ) / 3600.0e0) as hours
    from items
    inner join intervals on items.work_item_id = intervals.work_item_id and intervals.stage_category = 'active'
    inner join blocked
        on items.work_item_id = blocked.work_item_id
        and blocked.blocked_from < intervals.exited_at
        and blocked.blocked_to > intervals.entered_at
    group by items.work_item_id, intervals.stage
),

item_stage_time as (
    select
        item_stage_hours.*,
        case
            when item_stage_hours.stage_category = 'active'
                then item_stage_hours.hours - coalesce(blocked_while_active.hours, 0)
            else 0
        end as active_hours,
        case
            when item_stage_hours.stage_category = 'active' then coalesce(blocked_while_active.hours, 0)
            else item_stage_hours.hours
        end as wait_hours
    from item_stage_hours
    left join blocked_while_active
        on item_stage_hours.work_item_id = blocked_while_active.work_item_id
        and item_stage_hours.stage = blocked_while_active.stage
    where item_stage_hours.hours > 0
),

team_totals as (
    select
        team,
        min(window_start) as window_start,
        max(window_end) as window_end,
        count(*) as completed_items,
        sum(lead_time_hours) as lead_hours
    from items
    group by team
),

stage_totals as (
    select
        team,
        stage,
        stage_category,
        count(*) as items,
        percentile_cont(0.50) within group (order by hours) as median_hours,
        percentile_cont(0.50) within group (order by active_hours) as median_active_hours,
        percentile_cont(0.50) within group (order by wait_hours) as median_wait_hours,
        sum(hours) as total_hours,
        sum(active_hours) as total_active_hours,
        sum(wait_hours) as total_wait_hours
    from item_stage_time
    group by team, stage, stage_category
),

ranked as (
    select
        stage_totals.*,
        stages.stage_order,
        row_number() over (
            partition by stage_totals.team
            order by
                case when stage_totals.stage_category in ('active', 'wait') then stage_totals.total_wait_hours end
                    desc nulls last,
                stages.stage_order
        ) as wait_rank
    from stage_totals
    left join stages on stage_totals.stage = stages.stage
)

select
    ranked.team,
    ranked.stage,
    ranked.stage_order,
    ranked.stage_category,
    team_totals.window_start,
    team_totals.window_end,
    cast(team_totals.completed_items as integer) as completed_items,
    cast(ranked.items as integer) as items,
    ranked.median_hours,
    ranked.median_active_hours,
    ranked.median_wait_hours,
    ranked.total_hours,
    ranked.total_active_hours,
    ranked.total_wait_hours,
    ranked.total_active_hours / team_totals.completed_items as active_hours_per_item,
    ranked.total_wait_hours / team_totals.completed_items as wait_hours_per_item,
    ranked.total_hours / nullif(team_totals.lead_hours, 0) as share_of_lead_time,
    ranked.wait_rank = 1 and ranked.stage_category in ('active', 'wait') and ranked.total_wait_hours > 0
        as is_constraint,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from ranked
inner join team_totals on ranked.team = team_totals.team
    );
    
  