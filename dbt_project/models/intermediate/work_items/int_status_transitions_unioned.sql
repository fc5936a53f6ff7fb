{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{{ delete_changed_items() }}",
) }}
{#-
    Every status change of every work item, in raw statuses, from whichever source. A Jira issue
    resolved as Duplicate entered its final status as `<status>:duplicate` (the move into its
    current status at or after the resolution), which maps to canceled. Linear's come from its
    issues' history entries that changed the workflow state. Incremental per work item.
-#}
with items as (
    select work_item_id, _dlt_load_id from {{ ref('int_work_items_unioned') }}
    where {{ is_changed_item() }}
),

label_derived as (
    select
        work_item_id,
        transitioned_at,
        actor,
        from_status_raw,
        to_status_raw,
        source_event_id,
        event_order
    from {{ ref('int_label_status_changes') }}
),

jira as (
    select
        {{ canonical_id('work_item', 'jira', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        changelog.changed_at as transitioned_at,
        changelog.author_name as actor,
        changelog.from_string as from_status_raw,
        case
            when lower(trim(issues.resolution_name)) = 'duplicate'
                and changelog.changed_at >= issues.resolved_at
                and changelog.to_string = issues.status_name
                then changelog.to_string || ':duplicate'
            else changelog.to_string
        end as to_status_raw,
        changelog.history_id as source_event_id,
        cast(changelog.history_id as bigint) * 100 + changelog.item_index as event_order
    from {{ ref('stg_jira__issue_changelog') }} as changelog
    inner join {{ ref('stg_jira__issues') }} as issues on changelog.issue_id = issues.issue_id
    where changelog.field = 'status'
        and changelog.changed_at <= {{ as_of() }}  -- later ones are held out (int_events_after_as_of)
),

linear as (
    select
        {{ canonical_id('work_item', 'linear', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        history.changed_at as transitioned_at,
        history.actor_name as actor,
        history.from_state_name as from_status_raw,
        history.to_state_name as to_status_raw,
        history.history_id as source_event_id,
        history.entry_order as event_order
    from {{ ref('stg_linear__issue_history') }} as history
    inner join {{ ref('stg_linear__issues') }} as issues on history.issue_id = issues.issue_id
    where history.to_state_name is not null
        and history.changed_at <= {{ as_of() }}  -- later ones are held out (int_events_after_as_of)
),

unioned as (
    select * from label_derived
    union all
    select * from jira
    union all
    select * from linear
)

select unioned.*, items._dlt_load_id
from unioned
inner join items on unioned.work_item_id = items.work_item_id
