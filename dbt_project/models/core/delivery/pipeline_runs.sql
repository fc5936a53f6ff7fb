{#-
    One row per CI/CD run: GitHub Actions workflow runs, GitLab pipelines and Jenkins builds in
    GitHub's vocabulary of status and conclusion (int_pipeline_runs_unioned), with their duration.
    A Jenkins build's service is that of the repository it built, in the repository's own system.
-#}
with runs as (
    select * from {{ ref('int_pipeline_runs_unioned') }}
),

repositories as (
    select source_system, repository, service from {{ ref('int_repositories_unioned') }}
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
        when finished_at >= started_at then cast({{ dbt.datediff('started_at', 'finished_at', 'second') }} as bigint)
    end as duration_seconds,
    is_deploy_workflow,
    url,
    _dlt_load_id,
    {{ refreshed_at() }} as refreshed_at
from runs
left join repositories
    on runs.repository_system = repositories.source_system and runs.repository = repositories.repository
