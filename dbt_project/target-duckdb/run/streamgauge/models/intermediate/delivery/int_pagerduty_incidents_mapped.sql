
  
  create view "new"."intermediate"."int_pagerduty_incidents_mapped__dbt_tmp" as (
    with incidents as (
    select * from "new"."staging"."stg_pagerduty__incidents"
),

log_entries as (
    select * from "new"."staging"."stg_pagerduty__incident_log_entries"
),

repositories as (
    select * from "new"."intermediate"."int_repositories_unioned"
),

timed as (
    select
        incident_id,
        min(case when entry_type = 'acknowledge' then created_at end) as acknowledged_at,
        max(case when entry_type = 'resolve' then created_at end) as resolve_logged_at
    from log_entries
    group by incident_id
),

seed_matches as (
    select
        incidents.incident_id,
        mapping.repository,
        row_number() over (
            partition by incidents.incident_id
            order by case when mapping.service_pattern = '*' then 1 else 0 end, length(mapping.service_pattern) desc
        ) as match_rank
    from incidents
    inner join "new"."seeds"."service_repositories" as mapping
        on mapping.source_system in ('pagerduty', '*')
        and (
            lower(incidents.service_name) like lower(replace(replace(mapping.service_pattern, '*', '%'), '?', '_'))
            or incidents.service_id like replace(replace(mapping.service_pattern, '*', '%'), '?', '_')
        )
),

name_matches as (
    select
        incidents.incident_id,
        min(repositories.repository) as repository,
        count(*) as candidates
    from incidents
    inner join repositories
        on lower(repositories.repository) = lower(incidents.service_name)
        or lower(repositories.repository) like '%/' || lower(incidents.service_name)
    group by incidents.incident_id
),

mapped as (
    select
        incidents.*,
        coalesce(
            seed_matches.repository, case when name_matches.candidates = 1 then name_matches.repository end
        ) as repository
    from incidents
    left join seed_matches on incidents.incident_id = seed_matches.incident_id and seed_matches.match_rank = 1
    left join name_matches on incidents.incident_id = name_matches.incident_id
),

team_matches as (
    select
        mapped.incident_id,
        teams.team,
        row_number() over (
            partition by mapped.incident_id
            order by case when teams.project_pattern = '*' then 1 else 0 end, length(teams.project_pattern) desc
        ) as match_rank
    from mapped
    inner join "new"."seeds"."teams" as teams
        on teams.source_system = 'pagerduty'
        and mapped.service_name like replace(replace(teams.project_pattern, '*', '%'), '?', '_')
),

repository_services as (
    select repository, min(service) as service from repositories group by repository
)

select
    'pagerduty:' || mapped.instance || ':incident:' || cast(mapped.incident_id as varchar) as incident_id,
    mapped.incident_id as native_id,
    mapped.repository,
    coalesce(repository_services.service, team_matches.team, mapped.service_name) as service,
    mapped.service_name,
    mapped.title,
    mapped.description,
    coalesce(lower(mapped.priority), lower(mapped.urgency)) as severity,
    mapped.urgency,
    mapped.priority,
    mapped.url,
    mapped.created_at,
    timed.acknowledged_at,
    case
        when mapped.status = 'resolved'
            then coalesce(timed.resolve_logged_at, mapped.resolved_at, mapped.last_status_change_at)
    end as resolved_at,
    mapped._dlt_load_id
from mapped
left join timed on mapped.incident_id = timed.incident_id
left join repository_services on mapped.repository = repository_services.repository
left join team_matches on mapped.incident_id = team_matches.incident_id and team_matches.match_rank = 1
  );
