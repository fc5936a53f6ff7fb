
  
  create view "new"."intermediate"."int_incidents_unioned__dbt_tmp" as (
    with github_issues as (
    select * from "new"."staging"."stg_github__issues"
),

gitlab_issues as (
    select * from "new"."staging"."stg_gitlab__issues"
),

jira_issues as (
    select * from "new"."staging"."stg_jira__issues"
),

pagerduty_incidents as (
    select * from "new"."intermediate"."int_pagerduty_incidents_mapped"
),

labels as (
    select * from "new"."intermediate"."int_work_item_labels_unioned"
),

incident_labelled as (
    select distinct work_item_id
    from labels
    where regexp_matches(label_name, '^incident$', 'i')
),

severity_labels as (
    select work_item_id, min(label_name) as severity
    from labels
    where regexp_matches(label_name, '^(sev|severity)[^a-z]', 'i')
    group by work_item_id
),

github as (
    select
        'github:' || issues.repository_id || ':issue:' || cast(issues.issue_number as varchar) as incident_id,
        'github' as source_system,
        issues.repository,
        issues.repository as project_key,
        issues.title,
        issues.body as description,
        cast(null as varchar) as severity,
        issues.url,
        issues.created_at,
        case when issues.state = 'closed' then issues.closed_at end as resolved_at,
        issues._dlt_load_id
    from github_issues as issues
),

gitlab as (
    select
        'gitlab:' || issues.project_path || ':issue:' || cast(issues.issue_iid as varchar) as incident_id,
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
        'jira:' || instance || ':' || cast(issue_id as varchar) as incident_id,
        'jira' as source_system,
        cast(null as varchar) as repository,
        project_key,
        title,
        cast(null as varchar) as description,
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
    inner join "new"."seeds"."teams" as teams
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
where incidents.incident_id not in (select work_item_id from "new"."intermediate"."int_work_items_deleted")

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
  );
