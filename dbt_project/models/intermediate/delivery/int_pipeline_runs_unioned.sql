{#-
    Every CI/CD run, from any source, one row each: GitHub Actions workflow runs (the latest
    attempt, as the API lists them), GitLab pipelines and Jenkins builds (int_jenkins_builds_mapped),
    in GitHub's vocabulary: status queued /
    in_progress / completed, and for completed runs a conclusion (success, failure, cancelled,
    skipped, ...). source_status keeps the source's own word (GitLab's success, failed, manual, ...).
    is_deploy_workflow: the workflow / pipeline name matches `deploy_workflow_regex`.
    creator: who started a GitLab pipeline or a Jenkins build (the GitHub runs as loaded name nobody).
    repository_system: where the repository lives (github, gitlab; for a Jenkins build, the
    system of the repository its remote URL names, null when it names none known).
-#}
with github as (
    select
        {{ canonical_id('pipeline_run', 'github', 'repository_id', 'run_id') }} as pipeline_run_id,
        'github' as source_system,
        'github' as repository_system,
        repository,
        cast(run_id as {{ type_varchar() }}) as native_id,
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
        cast(null as {{ type_varchar() }}) as creator,
        url,
        _dlt_load_id
    from {{ ref('stg_github__workflow_runs') }}
),

gitlab as (
    select
        {{ canonical_id('pipeline_run', 'gitlab', 'project_path', 'pipeline_id') }} as pipeline_run_id,
        'gitlab' as source_system,
        'gitlab' as repository_system,
        project_path as repository,
        cast(pipeline_id as {{ type_varchar() }}) as native_id,
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
        user_username as creator,
        url,
        _dlt_load_id
    from {{ ref('stg_gitlab__pipelines') }}
),

jenkins as (
    select
        {{ canonical_id('pipeline_run', 'jenkins', 'instance', 'build_key') }} as pipeline_run_id,
        'jenkins' as source_system,
        repository_system,
        repository,
        build_key as native_id,
        workflow_name,
        event,
        branch,
        head_sha,
        status,
        conclusion,
        source_status,
        attempt,
        run_number,
        created_at,
        started_at,
        finished_at,
        creator,
        url,
        _dlt_load_id
    from {{ ref('int_jenkins_builds_mapped') }}
),

runs as (
    select * from github
    union all
    select * from gitlab
    union all
    select * from jenkins
)

select
    *,
    coalesce({{ regex_matches('workflow_name', var('deploy_workflow_regex')) }}, false) as is_deploy_workflow
from runs
