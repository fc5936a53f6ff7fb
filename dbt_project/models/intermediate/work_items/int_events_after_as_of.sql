{#-
    Status (Jira's, Linear's), label, open/closed and Flagged events dated after the build's as-of time: clock skew,
    a bad import. Each is held out of its item's history (transitions, stage and blocked
    intervals) until as_of reaches it, so one such event cannot end a stage before it began; the
    data-quality check `events_after_as_of` lists them with their items.
-#}
with label_events as (
    select work_item_id, source_system, event_at, event_type, label_name as value, source_event_id
    from {{ ref('int_label_events_unioned') }}
    where event_at > {{ as_of() }}
),

jira as (
    select
        {{ canonical_id('work_item', 'jira', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        'jira' as source_system,
        changelog.changed_at as event_at,
        lower(changelog.field) || '_changed' as event_type,
        changelog.to_string as value,
        changelog.history_id as source_event_id
    from {{ ref('stg_jira__issue_changelog') }} as changelog
    inner join {{ ref('stg_jira__issues') }} as issues on changelog.issue_id = issues.issue_id
    where changelog.field in ('status', 'Flagged') and changelog.changed_at > {{ as_of() }}
),

linear as (
    select
        {{ canonical_id('work_item', 'linear', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        'linear' as source_system,
        history.changed_at as event_at,
        'status_changed' as event_type,
        history.to_state_name as value,
        history.history_id as source_event_id
    from {{ ref('stg_linear__issue_history') }} as history
    inner join {{ ref('stg_linear__issues') }} as issues on history.issue_id = issues.issue_id
    where history.to_state_name is not null and history.changed_at > {{ as_of() }}
)

select * from label_events
union all
select * from jira
union all
select * from linear
