
  
  create view "new"."intermediate"."int_assignee_changes_unioned__dbt_tmp" as (
    with jira_issues as (
    select issue_id, instance from "new"."staging"."stg_jira__issues"
),

jira as (
    select
        'jira:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        'jira' as source_system,
        changelog.changed_at,
        changelog.from_value as from_assignee,
        changelog.to_value as to_assignee,
        changelog.to_string as to_assignee_name,
        changelog.author_name as actor,
        cast(changelog.history_id as bigint) * 100 + changelog.item_index as event_order
    from "new"."staging"."stg_jira__issue_changelog" as changelog
    inner join jira_issues as issues on changelog.issue_id = issues.issue_id
    where changelog.field = 'assignee'
),

github as (
    select
        'github:' || repository_id || ':issue:' || cast(issue_number as varchar) as work_item_id,
        'github' as source_system,
        created_at as changed_at,
        case when event_type = 'unassigned' then assignee_login end as from_assignee,
        case when event_type = 'assigned' then assignee_login end as to_assignee,
        case when event_type = 'assigned' then assignee_login end as to_assignee_name,
        actor_login as actor,
        event_id as event_order
    from "new"."staging"."stg_github__issue_events"
    where event_type in ('assigned', 'unassigned') and not is_pull_request and assignee_login is not null
),

linear as (
    select
        'linear:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        'linear' as source_system,
        history.changed_at,
        history.from_assignee_id as from_assignee,
        history.to_assignee_id as to_assignee,
        history.to_assignee_name,
        history.actor_name as actor,
        history.entry_order as event_order
    from "new"."staging"."stg_linear__issue_history" as history
    inner join "new"."staging"."stg_linear__issues" as issues on history.issue_id = issues.issue_id
    where history.from_assignee_id is not null or history.to_assignee_id is not null
),

gitlab as (
    select
        'gitlab:' || project_path || ':issue:' || cast(issue_iid as varchar) as work_item_id,
        'gitlab' as source_system,
        changed_at,
        case when action = 'unassigned' then username end as from_assignee,
        case when action = 'assigned' then username end as to_assignee,
        case when action = 'assigned' then username end as to_assignee_name,
        actor_username as actor,
        note_id * 100 + position as event_order
    from "new"."staging"."stg_gitlab__issue_assignee_changes"
    where username is not null
),

unioned as (
    select * from jira
    union all
    select * from github
    union all
    select * from linear
    union all
    select * from gitlab
)

select *
from unioned
where changed_at <= cast('2026-11-02 00:00:00' as timestamp)
    and not coalesce(regexp_matches(to_assignee_name, '(\[bot\]$|-bot$|^bot-|^dependabot|^renovate)', 'i'), false)
    and not (from_assignee is null and to_assignee is null)
  );
