with runs as (
    select * from "new"."intermediate"."int_pipeline_runs_unioned"
),

repositories as (
    select source_system, repository, service from "new"."intermediate"."int_repositories_unioned"
)

select
    runs.pipeline_run_id,
    runs.source_system,
    runs.repository,
    coalesce(repositories.service, runs.repository) as service,
    native_id,
    workflow_name,
    event,
    branch,
    head_sha,
    status,
    conclusion,
    source_status,
    cast(attempt as integer) as attempt,
    cast(run_number as integer) as run_number,
    created_at,
    started_at,
    finished_at,
    case
        when finished_at >= started_at then cast(
        (date_diff('second', started_at::timestamp, finished_at::timestamp ))
     as bigint)
    end as duration_seconds,
    is_deploy_workflow,
    url,
    _dlt_load_id,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from runs
left join repositories
    on runs.repository_system = repositories.source_system and runs.repository = repositories.repository