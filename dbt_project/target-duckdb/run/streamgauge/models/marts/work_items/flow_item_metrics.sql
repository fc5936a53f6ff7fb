
    

    create  table
      "new"."marts"."flow_item_metrics__dbt_tmp"
  
    
    as (
      with items as (
    select * from "new"."core"."work_items"
    where started_at is not null and deleted_at is null and not completed_in_bulk
),

windows as (
    select
        *,
        started_at as window_start,
        case
            when is_done then completed_at
            when not is_canceled then cast('2026-11-02 00:00:00' as timestamp)
        end as window_end
    from items
),

intervals as (
    select
        intervals.work_item_id,
        intervals.stage_category,
        intervals.entered_at,
        coalesce(intervals.exited_at, cast('2026-11-02 00:00:00' as timestamp)) as exited_at
    from "new"."core"."work_item_stage_intervals" as intervals
),

handoffs as (
    select work_item_id, handoff_count, handoff_wait_hours from "new"."intermediate"."int_work_item_handoffs_measured"
),

created_done as (select work_item_id
    from "new"."core"."work_item_stage_intervals"
    group by work_item_id
    having min(case when stage_category = 'done' then 1 else 0 end) = 1
),

blocked as (
    select work_item_id, blocked_from, coalesce(blocked_to, cast('2026-11-02 00:00:00' as timestamp)) as blocked_to
    from "new"."core"."work_item_blocked_intervals"
),

active_time as (
    select
        windows.work_item_id,
        sum(greatest(
        0,
        
        (date_diff('second', greatest(intervals.entered_at, windows.window_start)::timestamp, least(intervals.exited_at, windows.window_end)::timestamp ))
    
    ) / 3600.0e0)
            as active_stage_hours
    from windows
    inner join intervals on windows.work_item_id = intervals.work_item_id
    where intervals.stage_category = 'active'
    group by windows.work_item_id
),

blocked_time as (
    select
        windows.work_item_id,
        sum(greatest(
        0,
        
        (date_diff('second', greatest(blocked.blocked_from, windows.window_start)::timestamp, least(blocked.blocked_to, windows.window_end)::timestamp ))
    
    ) / 3600.0e0)
            as blocked_hours
    from windows
    inner join blocked on windows.work_item_id = blocked.work_item_id
    group by windows.work_item_id
),

blocked_while_active as (select
        windows.work_item_id,
        sum(greatest(
        0,
        
        (date_diff('second', greatest(greatest(intervals.entered_at, blocked.blocked_from), windows.window_start)::timestamp, least(least(intervals.exited_at, blocked.blocked_to), windows.window_end)::timestamp ))
    
    ) / 3600.0e0) as hours
    from windows
    inner join intervals on windows.work_item_id = intervals.work_item_id and intervals.stage_category = 'active'
    inner join blocked
        on windows.work_item_id = blocked.work_item_id
        and blocked.blocked_from < intervals.exited_at
        and blocked.blocked_to > intervals.entered_at
    group by windows.work_item_id
),

measured as (
    select
        windows.*,
        
        (date_diff('second', windows.created_at::timestamp, windows.completed_at::timestamp ))
     / 3600.0e0 as lead_time_hours,
        
        (date_diff('second', windows.window_start::timestamp, windows.window_end::timestamp ))
     / 3600.0e0 as window_hours,
        coalesce(active_time.active_stage_hours, 0) - coalesce(blocked_while_active.hours, 0) as active_hours,
        coalesce(blocked_time.blocked_hours, 0) as blocked_hours,
        windows.is_done and created_done.work_item_id is not null as created_done
    from windows
    left join active_time on windows.work_item_id = active_time.work_item_id
    left join blocked_time on windows.work_item_id = blocked_time.work_item_id
    left join blocked_while_active on windows.work_item_id = blocked_while_active.work_item_id
    left join created_done on windows.work_item_id = created_done.work_item_id
)

select
    measured.work_item_id,
    source_system,
    team,
    flow_type,
    item_key,
    title,
    url,
    case when is_done then 'done' when is_canceled then 'canceled' else 'in_progress' end as state,
    current_stage,
    created_at,
    started_at,
    completed_at,
    cast(started_at as date) as started_date,
    cast(completed_at as date) as completed_date,
    -- a negative span (clock skew) is never clamped: null, and counted by a data test
    case when lead_time_hours >= 0 then lead_time_hours end as lead_time_hours,
    case when is_done and window_hours >= 0 then window_hours end as cycle_time_hours,
    case when is_done then
        
        (date_diff('day', cast(started_at as date)::timestamp, cast(completed_at as date)::timestamp ))
     + 1
    end as cycle_time_days,
    case when window_hours >= 0 then active_hours end as active_hours,
    case when window_hours >= 0 then window_hours - active_hours end as wait_hours,
    case when window_hours >= 0 then blocked_hours end as blocked_hours,
    case when window_hours > 0 then active_hours / window_hours end as flow_efficiency,
    -- touch time over lead time (from request), beside the one over cycle time; no start-less active time
    case when lead_time_hours > 0 and window_hours >= 0 then active_hours / lead_time_hours end as lead_flow_efficiency,
    created_done,
    cast(coalesce(handoffs.handoff_count, 0) as integer) as handoff_count,
    coalesce(handoffs.handoff_wait_hours, 0) as handoff_wait_hours,
    rework_count,
    reopen_count,
    case when not is_done and not is_canceled then
        
        (date_diff('day', cast(started_at as date)::timestamp, cast(cast('2026-11-02 00:00:00' as timestamp) as date)::timestamp ))
     + 1
    end as age_days,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from measured
left join handoffs on measured.work_item_id = handoffs.work_item_id
    );
    
  