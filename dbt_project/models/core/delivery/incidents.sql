{#-
    One row per incident (a GitHub issue labelled per `incident_label_regex`, a Jira Incident,
    a GitLab incident), with the production deployment it is blamed on and how that was decided.
    Unattributed incidents stay, with a null deployment. incident_id is the issue's work item id.
-#}
with incidents as (
    select * from {{ ref('int_incidents_unioned') }}
),

attributed as (
    select * from {{ ref('int_incidents_attributed') }}
),

deployments as (
    select deployment_id, repository from {{ ref('int_deployments_unioned') }}
)

select
    incidents.incident_id,
    incidents.source_system,
    -- a Jira incident has no repository of its own: the one of the deployment it is blamed on
    coalesce(incidents.repository, deployments.repository) as repository,
    incidents.service,
    incidents.project_key,
    incidents.title,
    incidents.severity,
    incidents.url,
    incidents.created_at,
    incidents.resolved_at,
    incidents.resolved_at is not null as is_resolved,
    {{ delivery_hours_between('incidents.created_at', 'incidents.resolved_at') }} as time_to_restore_hours,
    attributed.caused_by_deployment_id,
    attributed.attribution_method,
    attributed.attribution_reference,
    incidents._dlt_load_id,
    {{ refreshed_at() }} as refreshed_at
from incidents
inner join attributed on incidents.incident_id = attributed.incident_id
left join deployments on attributed.caused_by_deployment_id = deployments.deployment_id
