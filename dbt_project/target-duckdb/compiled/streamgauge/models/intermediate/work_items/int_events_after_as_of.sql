with label_events as (
    select work_item_id, source_system, event_at, event_type, label_name as value, source_event_id
    from "new"."intermediate"."int_label_events_unioned"
    where event_at > cast('2026-11-02 00:00:00' as timestamp)
),

jira as (
    select
        'jira:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        'jira' as source_system,
        changelog.changed_at as event_at,
        lower(changelog.field) || '_changed' as event_type,
        changelog.to_string as value,
        changelog.history_id as source_event_id
    from "new"."staging"."stg_jira__issue_changelog" as changelog
    inner join "new"."staging"."stg_jira__issues" as issues on changelog.issue_id = issues.issue_id
    where changelog.field in ('status', 'Flagged') and changelog.changed_at > cast('2026-11-02 00:00:00' as timestamp)
),

linear as (
    select
        'linear:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        'linear' as source_system,
        history.changed_at as event_at,
        'status_changed' as event_type,
        history.to_state_name as value,
        history.history_id as source_event_id
    from "new"."staging"."stg_linear__issue_history" as history
    inner join "new"."staging"."stg_linear__issues" as issues on history.issue_id = issues.issue_id
    where history.to_state_name is not null and history.changed_at > cast('2026-11-02 00:00:00' as timestamp)
)

select * from label_events
union all
select * from jira
union all
select * from linear