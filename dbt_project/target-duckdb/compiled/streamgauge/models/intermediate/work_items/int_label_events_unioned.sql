with github_events as (
    select * from "new"."staging"."stg_github__issue_events"
    where not is_pull_request
),

github as (
    select
        'github:' || repository_id || ':issue:' || cast(issue_number as varchar) as work_item_id,
        'github' as source_system,
        created_at as event_at,
        actor_login as actor,
        case event_type
            when 'labeled' then 'label_added'
            when 'unlabeled' then 'label_removed'
            else event_type
        end as event_type,
        label_name,
        cast(event_id as varchar) as source_event_id,
        event_id as event_order
    from github_events
    where event_type in ('labeled', 'unlabeled', 'closed', 'reopened')
),

gitlab_labels as (
    select
        'gitlab:' || project_path || ':issue:' || cast(issue_iid as varchar) as work_item_id,
        'gitlab' as source_system,
        created_at as event_at,
        actor_username as actor,
        case action when 'add' then 'label_added' else 'label_removed' end as event_type,
        label_name,
        cast(event_id as varchar) as source_event_id,
        event_id as event_order
    from "new"."staging"."stg_gitlab__issue_label_events"
),

gitlab_states as (
    select
        'gitlab:' || project_path || ':issue:' || cast(issue_iid as varchar) as work_item_id,
        'gitlab' as source_system,
        created_at as event_at,
        actor_username as actor,
        state as event_type,
        cast(null as varchar) as label_name,
        cast(event_id as varchar) as source_event_id,
        event_id as event_order
    from "new"."staging"."stg_gitlab__issue_state_events"
    where state in ('closed', 'reopened')
),

linear_labels as (
    select
        'linear:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        'linear' as source_system,
        changes.changed_at as event_at,
        changes.actor_name as actor,
        case changes.action when 'add' then 'label_added' else 'label_removed' end as event_type,
        changes.label_name,
        changes.history_id as source_event_id,
        changes.entry_order as event_order
    from "new"."staging"."stg_linear__issue_history_labels" as changes
    inner join "new"."staging"."stg_linear__issues" as issues on changes.issue_id = issues.issue_id
)

select * from github
union all
select * from linear_labels
union all
select * from gitlab_labels
union all
select * from gitlab_states