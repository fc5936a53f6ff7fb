{#-
    One row per CI/CD run: GitHub Actions workflow runs (latest attempt, as the API lists them)
    and GitLab pipelines, in GitHub's vocabulary: status queued / in_progress / completed, and
    for completed runs a conclusion (success, failure, cancelled, skipped, ...).
    is_deploy_workflow: the workflow / pipeline name matches `deploy_workflow_regex`.
-#}
with github as (
    select
        {{ canonical_id('pipeline_run', 'github', 'repository', 'run_id') }} as pipeline_run_id,
        'github' as source_system,
        repository,
        cast(run_id as varchar) as native_id,
        workflow_name,
        event,
        branch,
        head_sha,
        status,
        conclusion,
        status as source_status,
        attempt,
        run_number,
        created_at,
        started_at,
        finished_at,
        url,
        _dlt_load_id
    from {{ ref('stg_github__workflow_runs') }}
),

gitlab as (
    select
        {{ canonical_id('pipeline_run', 'gitlab', 'project_path', 'pipeline_id') }} as pipeline_run_id,
        'gitlab' as source_system,
        project_path as repository,
        cast(pipeline_id as varchar) as native_id,
        pipeline_name as workflow_name,
        event,
        branch,
        head_sha,
        case
            when status in ('success', 'failed', 'canceled', 'skipped', 'manual') then 'completed'
            when status = 'running' then 'in_progress'
            else 'queued'
        end as status,
        case status
            when 'success' then 'success'
            when 'failed' then 'failure'
            when 'canceled' then 'cancelled'
            when 'skipped' then 'skipped'
            when 'manual' then 'action_required'
        end as conclusion,
        status as source_status,
        cast(1 as bigint) as attempt,
        pipeline_iid as run_number,
        created_at,
        started_at,
        finished_at,
        url,
        _dlt_load_id
    from {{ ref('stg_gitlab__pipelines') }}
),

runs as (
    select * from github
    union all
    select * from gitlab
)

select
    pipeline_run_id,
    source_system,
    repository,
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
    coalesce({{ regex_matches('workflow_name', var('deploy_workflow_regex')) }}, false) as is_deploy_workflow,
    url,
    _dlt_load_id,
    {{ refreshed_at() }} as refreshed_at
from runs
