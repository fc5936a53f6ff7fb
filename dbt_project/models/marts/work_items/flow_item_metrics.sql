{#-
    The per-item measures of metrics.md for every started work item: lead and cycle time,
    cycle time in days, active, wait and blocked hours inside the cycle window, flow efficiency
    over cycle time and over lead time,
    rework, handoffs (core.work_item_handoffs) and the wait after them, and for work in progress its age. The window is [started_at, completed_at] for a
    done item and [started_at, as_of] for one in progress; canceled items keep a row with the
    time measures null (they leave lead time, cycle time and throughput).
    created_done: the item was created directly in a done stage and never left one (an import,
    a record of work done elsewhere): started_at = completed_at = created_at, lead and cycle 0.
    It counts in throughput, but no flow was observed, so every time distribution built from
    items (percentiles, averages, flow efficiency, the aging and value stream windows) leaves it out.
-#}
with items as (
    select * from {{ ref('work_items') }}
    where started_at is not null and {{ flow_items_filter() }}
),

windows as (
    select
        *,
        started_at as window_start,
        case
            when is_done then completed_at
            when not is_canceled then {{ as_of() }}
        end as window_end
    from items
),

intervals as (
    select
        intervals.work_item_id,
        intervals.stage_category,
        intervals.entered_at,
        coalesce(intervals.exited_at, {{ as_of() }}) as exited_at
    from {{ ref('work_item_stage_intervals') }} as intervals
),

handoffs as (
    select work_item_id, handoff_count, handoff_wait_hours from {{ ref('int_work_item_handoffs_measured') }}
),

created_done as (
    {#- every visit of the item was to a done stage: it was born done -#}
    select work_item_id
    from {{ ref('work_item_stage_intervals') }}
    group by work_item_id
    having min(case when stage_category = 'done' then 1 else 0 end) = 1
),

blocked as (
    select work_item_id, blocked_from, coalesce(blocked_to, {{ as_of() }}) as blocked_to
    from {{ ref('work_item_blocked_intervals') }}
),

active_time as (
    select
        windows.work_item_id,
        sum({{ overlap_hours('intervals.entered_at', 'intervals.exited_at', 'windows.window_start', 'windows.window_end') }})
            as active_stage_hours
    from windows
    inner join intervals on windows.work_item_id = intervals.work_item_id
    where intervals.stage_category = 'active'
    group by windows.work_item_id
),

blocked_time as (
    select
        windows.work_item_id,
        sum({{ overlap_hours('blocked.blocked_from', 'blocked.blocked_to', 'windows.window_start', 'windows.window_end') }})
            as blocked_hours
    from windows
    inner join blocked on windows.work_item_id = blocked.work_item_id
    group by windows.work_item_id
),

blocked_while_active as (
    {#- blocked periods inside active stages inside the window: not active time -#}
    select
        windows.work_item_id,
        sum({{ overlap_hours(
            'greatest(intervals.entered_at, blocked.blocked_from)', 'least(intervals.exited_at, blocked.blocked_to)',
            'windows.window_start', 'windows.window_end'
        ) }}) as hours
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
        {{ dbt.datediff('windows.created_at', 'windows.completed_at', 'second') }} / 3600.0e0 as lead_time_hours,
        {{ dbt.datediff('windows.window_start', 'windows.window_end', 'second') }} / 3600.0e0 as window_hours,
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
    {{ reporting_date('started_at') }} as started_date,
    {{ reporting_date('completed_at') }} as completed_date,
    -- a negative span (clock skew) is never clamped: null, and counted by a data test
    case when lead_time_hours >= 0 then lead_time_hours end as lead_time_hours,
    case when is_done and window_hours >= 0 then window_hours end as cycle_time_hours,
    case when is_done then
        {{ dbt.datediff(reporting_date('started_at'), reporting_date('completed_at'), 'day') }} + 1
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
        {{ dbt.datediff(reporting_date('started_at'), reporting_date(as_of()), 'day') }} + 1
    end as age_days,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from measured
left join handoffs on measured.work_item_id = handoffs.work_item_id
