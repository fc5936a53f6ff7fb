{{ config(materialized="table") }}  {#- core.incidents, core.deployments (twice) and the attribution read it: scanned once per build -#}
{#-
    Incidents from every source, one row each, with the text a responder wrote about them.

    An incident is a GitHub issue with a label matching `incident_label_regex`, a Jira issue of
    type Incident, or a GitLab issue of type incident (a matching label counts on Jira and
    GitLab too). Its id is the work item id of the issue. resolved_at: when a GitHub or GitLab
    issue was closed (while it stays closed), Jira's resolution date. repository is the issue's
    own repository (null for Jira); service is the team that owns it (`teams` seed). An incident
    whose issue was deleted upstream (int_work_items_deleted) is left out.

    The text (title and description) carries explicit references to a release (GitHub `body`,
    GitLab `description`; the Jira source loads none).

    PagerDuty incidents come in whole from int_pagerduty_incidents_mapped (times from the log,
    their service's repository and team).
-#}
with github_issues as (
    select * from {{ ref('stg_github__issues') }}
),

gitlab_issues as (
    select * from {{ ref('stg_gitlab__issues') }}
),

jira_issues as (
    select * from {{ ref('stg_jira__issues') }}
),

pagerduty_incidents as (
    select * from {{ ref('int_pagerduty_incidents_mapped') }}
),

labels as (
    select * from {{ ref('int_work_item_labels_unioned') }}
),

incident_labelled as (
    select distinct work_item_id
    from labels
    where {{ regex_matches('label_name', var('incident_label_regex')) }}
),

severity_labels as (
    select work_item_id, min(label_name) as severity
    from labels
    where {{ regex_matches('label_name', '^(sev|severity)[^a-z]') }}
    group by work_item_id
),

github as (
    select
        {{ canonical_id('work_item', 'github', 'issues.repository_id', 'issues.issue_number') }} as incident_id,
        'github' as source_system,
        issues.repository,
        issues.repository as project_key,
        issues.title,
        issues.body as description,
        cast(null as {{ type_varchar() }}) as severity,
        issues.url,
        issues.created_at,
        case when issues.state = 'closed' then issues.closed_at end as resolved_at,
        issues._dlt_load_id
    from github_issues as issues
),

gitlab as (
    select
        {{ canonical_id('work_item', 'gitlab', 'issues.instance', 'issues.issue_id') }} as incident_id,
        'gitlab' as source_system,
        issues.project_path as repository,
        issues.project_path as project_key,
        issues.title,
        issues.description,
        case when upper(issues.severity) <> 'UNKNOWN' then lower(issues.severity) end as severity,
        issues.url,
        issues.created_at,
        case when issues.state = 'closed' then issues.closed_at end as resolved_at,
        issues._dlt_load_id,
        lower(issues.issue_type) = 'incident' as is_incident_type
    from gitlab_issues as issues
),

jira as (
    select
        {{ canonical_id('work_item', 'jira', 'instance', 'issue_id') }} as incident_id,
        'jira' as source_system,
        cast(null as {{ type_varchar() }}) as repository,
        project_key,
        title,
        cast(null as {{ type_varchar() }}) as description,
        lower(priority) as severity,
        url,
        created_at,
        resolved_at,
        _dlt_load_id,
        lower(issue_type) = 'incident' as is_incident_type
    from jira_issues
),

candidates as (
    select *, false as is_incident_type from github
    union all
    select * from gitlab
    union all
    select * from jira
),

incidents as (
    select candidates.*
    from candidates
    where candidates.is_incident_type
        or candidates.incident_id in (select work_item_id from incident_labelled)
),

team_matches as (
    select
        incidents.incident_id,
        teams.team,
        row_number() over (
            partition by incidents.incident_id
            order by case when teams.project_pattern = '*' then 1 else 0 end, length(teams.project_pattern) desc
        ) as match_rank
    from incidents
    inner join {{ ref('teams') }} as teams
        on teams.source_system in (incidents.source_system, '*')
        and incidents.project_key like replace(replace(teams.project_pattern, '*', '%'), '?', '_')
)

select
    incidents.incident_id,
    incidents.source_system,
    incidents.repository,
    coalesce(team_matches.team, incidents.project_key) as service,
    incidents.project_key,
    incidents.title,
    incidents.description,
    coalesce(incidents.severity, severity_labels.severity) as severity,
    incidents.url,
    incidents.created_at,
    incidents.resolved_at,
    incidents._dlt_load_id
from incidents
left join team_matches on incidents.incident_id = team_matches.incident_id and team_matches.match_rank = 1
left join severity_labels on incidents.incident_id = severity_labels.work_item_id
-- an incident whose issue was deleted upstream leaves every DORA measure
where incidents.incident_id not in (select work_item_id from {{ ref('int_work_items_deleted') }})

union all

select
    incident_id,
    'pagerduty' as source_system,
    repository,
    service,
    service_name as project_key,
    title,
    description,
    severity,
    url,
    created_at,
    resolved_at,
    _dlt_load_id
from pagerduty_incidents
