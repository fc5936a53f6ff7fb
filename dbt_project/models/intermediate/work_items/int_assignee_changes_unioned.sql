{#-
    Every change of a work item's assignee, from the sources that record them: Jira's `assignee`
    changelog items (account ids, so a renamed person stays one person) and GitHub's `assigned` /
    `unassigned` issue events (logins), GitLab's assignee system notes (usernames: GitLab has no
    resource event for assignees; a reassignment note is an unassignment then an assignment), and
    Linear's history entries that changed the assignee (user ids). One row per change:
    from_assignee who had it just before (null when unknown or unassigned), to_assignee who has it
    now (null for an unassignment). Assignments of bots (var bot_login_regex) are left out, and so
    are changes dated after as_of.
-#}
with jira_issues as (
    select issue_id, instance from {{ ref('stg_jira__issues') }}
),

jira as (
    select
        {{ canonical_id('work_item', 'jira', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        'jira' as source_system,
        changelog.changed_at,
        changelog.from_value as from_assignee,
        changelog.to_value as to_assignee,
        changelog.to_string as to_assignee_name,
        changelog.author_name as actor,
        cast(changelog.history_id as bigint) * 100 + changelog.item_index as event_order
    from {{ ref('stg_jira__issue_changelog') }} as changelog
    inner join jira_issues as issues on changelog.issue_id = issues.issue_id
    where changelog.field = 'assignee'
),

github as (
    select
        {{ canonical_id('work_item', 'github', 'repository_id', 'issue_number') }} as work_item_id,
        'github' as source_system,
        created_at as changed_at,
        case when event_type = 'unassigned' then assignee_login end as from_assignee,
        case when event_type = 'assigned' then assignee_login end as to_assignee,
        case when event_type = 'assigned' then assignee_login end as to_assignee_name,
        actor_login as actor,
        event_id as event_order
    from {{ ref('stg_github__issue_events') }}
    where event_type in ('assigned', 'unassigned') and not is_pull_request and assignee_login is not null
),

linear as (
    select
        {{ canonical_id('work_item', 'linear', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        'linear' as source_system,
        history.changed_at,
        history.from_assignee_id as from_assignee,
        history.to_assignee_id as to_assignee,
        history.to_assignee_name,
        history.actor_name as actor,
        history.entry_order as event_order
    from {{ ref('stg_linear__issue_history') }} as history
    inner join {{ ref('stg_linear__issues') }} as issues on history.issue_id = issues.issue_id
    where history.from_assignee_id is not null or history.to_assignee_id is not null
),

gitlab as (
    select
        {{ canonical_id('work_item', 'gitlab', 'issues.instance', 'changes.issue_id') }} as work_item_id,
        'gitlab' as source_system,
        changes.changed_at,
        case when changes.action = 'unassigned' then changes.username end as from_assignee,
        case when changes.action = 'assigned' then changes.username end as to_assignee,
        case when changes.action = 'assigned' then changes.username end as to_assignee_name,
        changes.actor_username as actor,
        changes.note_id * 100 + changes.position as event_order
    from {{ ref('stg_gitlab__issue_assignee_changes') }} as changes
    inner join {{ ref('stg_gitlab__issues') }} as issues on changes.issue_id = issues.issue_id
    where changes.username is not null
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
where changed_at <= {{ as_of() }}
    and not coalesce({{ regex_matches('to_assignee_name', var('bot_login_regex')) }}, false)
    and not (from_assignee is null and to_assignee is null)
