{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{{ delete_changed_items() }}",
) }}
{#-
    Status changes of GitHub and GitLab work items, derived from labels and open/closed state.

    These trackers have no status field: an item's status at a moment is its status label
    (the most recently added label matching the var `status_label_regex` or mapped in the
    `status_stage_map` seed), or, when it has none, its state (`open`/`opened`). A closed item
    is `closed`, or `closed:not_planned` / `closed:duplicate` when the source says so (GitHub's
    state_reason, GitLab's closed_as_duplicate_of); its status label counts only
    when that label maps to a canceled stage (GitLab's `workflow::canceled`). Every event
    moment is evaluated once, after all of that moment's events (a scoped-label swap removes
    and adds in the same second), and a change of status there is a transition. Incremental
    per work item (macros/changed_items.sql).
-#}
with items as (
    select work_item_id, source_system, created_at, state_reason, _dlt_load_id
    from {{ ref('int_work_items_unioned') }}
    where source_system in ('github', 'gitlab') and {{ is_changed_item() }}
),

{#- Each reader reads the events it needs, with the columns it needs: read twice as one CTE, DuckDB
    kept them whole, every event and column (at 3M items 3.4 GB spilled past its 3 GB cap; apart, 1.1). -#}
events as (
    select work_item_id, event_at, actor, source_event_id, event_order
    from {{ ref('int_label_events_unioned') }}
    where work_item_id in (select work_item_id from items)
        and event_at <= {{ as_of() }}  -- later ones are held out (int_events_after_as_of)
),

state_events as (
    select work_item_id, event_at, event_order, event_type
    from {{ ref('int_label_events_unioned') }}
    where event_type in ('closed', 'reopened')
        and work_item_id in (select work_item_id from items)
        and event_at <= {{ as_of() }}
),

status_map as (
    select * from {{ ref('status_stage_map') }}
    where source_system in ('github', 'gitlab')
),

canceled_labels as (
    select distinct status_map.source_system, lower(trim(status_map.raw_status)) as label_name
    from status_map
    inner join {{ ref('stages') }} as stages on status_map.stage = stages.stage
    where stages.category = 'canceled'
),

status_labels as (
    select intervals.*, items.source_system
    from {{ ref('int_label_intervals_computed') }} as intervals
    inner join items on intervals.work_item_id = items.work_item_id
    where {{ regex_matches('intervals.label_name', var('status_label_regex')) }}
        or exists (
            select 1 from status_map
            where status_map.source_system = items.source_system
                and lower(trim(status_map.raw_status)) = lower(trim(intervals.label_name))
        )
),

state_changes as (
    select
        *,
        lead(event_at) over (partition by work_item_id order by event_at, event_order) as next_change_at
    from (
        select
            *,
            lag(event_type) over (partition by work_item_id order by event_at, event_order) as previous_type
        from state_events
    ) as typed
    where previous_type is null or previous_type <> event_type
),

closed_intervals as (
    select work_item_id, event_at as closed_at, next_change_at as reopened_at
    from state_changes
    where event_type = 'closed'
),

moments as (
    select work_item_id, created_at as moment, cast(null as {{ type_varchar() }}) as actor,
        cast(null as {{ type_varchar() }}) as source_event_id, cast(null as bigint) as event_order
    from items

    union all

    select work_item_id, event_at as moment, max(actor), max(source_event_id), max(event_order)
    from events
    group by work_item_id, event_at
),

{#- What the statuses need of their item, joined before the windows. Joined after them, DuckDB took the
    windows' output for the smaller side (0.4M rows estimated, 9.8M held at 3M items) and a 3M build
    ran out of memory. -#}
item_moments as (
    select moments.*, items.source_system, items.state_reason, items._dlt_load_id
    from moments
    inner join items on moments.work_item_id = items.work_item_id
),

labelled_moments as (
    select
        item_moments.*,
        closed_intervals.closed_at is not null as is_closed,
        closed_intervals.reopened_at is null and closed_intervals.closed_at is not null as is_final_close,
        status_labels.label_name as status_label,
        row_number() over (
            partition by item_moments.work_item_id, item_moments.moment
            order by status_labels.added_at desc, status_labels.label_name
        ) as label_rank
    from item_moments
    left join closed_intervals
        on closed_intervals.work_item_id = item_moments.work_item_id
        and closed_intervals.closed_at <= item_moments.moment
        -- coalesce, not "is null or": an OR here turns DuckDB's range join into a nested loop
        and coalesce(closed_intervals.reopened_at, cast('9999-12-31' as timestamp)) > item_moments.moment
    left join status_labels
        on status_labels.work_item_id = item_moments.work_item_id
        and status_labels.added_at <= item_moments.moment
        and coalesce(status_labels.removed_at, cast('9999-12-31' as timestamp)) > item_moments.moment
),

label_at_moment as (
    select * from labelled_moments where label_rank = 1
),

statuses as (
    select
        label_at_moment.work_item_id,
        label_at_moment.moment,
        label_at_moment.actor,
        label_at_moment.source_event_id,
        label_at_moment.event_order,
        case
            when label_at_moment.is_closed then
                case
                    when canceled_labels.label_name is not null then label_at_moment.status_label
                    -- the sources report why only for the current close
                    when label_at_moment.is_final_close and label_at_moment.state_reason in ('not_planned', 'duplicate')
                        then 'closed:' || label_at_moment.state_reason
                    else 'closed'
                end
            else coalesce(
                label_at_moment.status_label, case label_at_moment.source_system when 'gitlab' then 'opened' else 'open' end
            )
        end as status_raw,
        label_at_moment._dlt_load_id
    from label_at_moment
    left join canceled_labels
        on canceled_labels.source_system = label_at_moment.source_system
        and canceled_labels.label_name = lower(trim(label_at_moment.status_label))
),

with_previous as (
    select
        *,
        lag(status_raw) over (partition by work_item_id order by moment, event_order nulls first) as previous_status_raw
    from statuses
)

select
    with_previous.work_item_id,
    with_previous.moment as transitioned_at,
    with_previous.actor,
    with_previous.previous_status_raw as from_status_raw,
    with_previous.status_raw as to_status_raw,
    with_previous.source_event_id,
    with_previous.event_order,
    with_previous._dlt_load_id
from with_previous
where with_previous.previous_status_raw is not null and with_previous.previous_status_raw <> with_previous.status_raw
