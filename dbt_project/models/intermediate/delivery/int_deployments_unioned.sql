{{ config(materialized="table") }}
{#-
    Every deployment, from either source, with its outcome; for a repository that records no
    deployments at all, its deploy workflow runs / pipelines stand in (metrics.md).

    - GitHub: the outcome comes from the statuses. GitHub marks a successful deployment
      `inactive` once a newer one replaces it, so a deployment is successful if it *ever*
      reached `success`; finished_at is its first success (else its first failure or error).
    - GitLab: the deployment's own status; finished_at is its finish (else the deploy job's).
    - No deployments recorded: runs on the default branch of workflows / pipelines whose name
      matches `deploy_workflow_regex` are production deployments (environment `production`).
    - is_production: GitLab tier production, GitHub `production_environment`, or an environment
      name matching `production_environment_regex`.
    Materialized: the pull-request links, incidents and rollbacks all read it.
-#}
with repositories as (
    select * from {{ ref('int_repositories_unioned') }}
),

github_statuses as (
    select
        *,
        row_number() over (partition by deployment_id order by created_at desc, status_id desc) as recency
    from {{ ref('stg_github__deployment_statuses') }}
),

github_outcomes as (
    select
        deployment_id,
        min(case when state = 'success' then created_at end) as first_success_at,
        min(case when state in ('failure', 'error') then created_at end) as first_failure_at,
        max(case when recency = 1 then state end) as latest_state
    from github_statuses
    group by deployment_id
),

github as (
    select
        {{ canonical_id('deployment', 'github', 'deployments.repository', 'deployments.deployment_id') }} as deployment_id,
        'github' as source_system,
        deployments.repository,
        cast(deployments.deployment_id as varchar) as native_id,
        'deployment' as deploy_source,
        deployments.environment,
        coalesce(deployments.is_production_environment, false)
        or coalesce({{ regex_matches('deployments.environment', var('production_environment_regex')) }}, false) as is_production,
        cast(null as varchar) as source_tier,
        deployments.sha,
        deployments.ref,
        case
            when outcomes.first_success_at is not null then 'success'
            else coalesce(outcomes.latest_state, 'created')
        end as status,
        outcomes.latest_state as source_status,
        deployments.created_at,
        coalesce(outcomes.first_success_at, outcomes.first_failure_at) as finished_at,
        deployments.creator_login as creator,
        cast(null as varchar) as pipeline_run_id,
        deployments._dlt_load_id
    from {{ ref('stg_github__deployments') }} as deployments
    left join github_outcomes as outcomes on deployments.deployment_id = outcomes.deployment_id
),

gitlab as (
    select
        {{ canonical_id('deployment', 'gitlab', 'project_path', 'deployment_id') }} as deployment_id,
        'gitlab' as source_system,
        project_path as repository,
        cast(deployment_id as varchar) as native_id,
        'deployment' as deploy_source,
        environment,
        coalesce(environment_tier = 'production', false)
        or coalesce({{ regex_matches('environment', var('production_environment_regex')) }}, false) as is_production,
        environment_tier as source_tier,
        sha,
        ref,
        case status
            when 'failed' then 'failure'
            when 'running' then 'in_progress'
            else status
        end as status,
        status as source_status,
        created_at,
        case
            when status in ('success', 'failed', 'canceled')
                then coalesce(finished_at, job_finished_at, updated_at)
        end as finished_at,
        user_username as creator,
        {{ canonical_id('pipeline_run', 'gitlab', 'project_path', 'pipeline_id') }} as pipeline_run_id,
        _dlt_load_id
    from {{ ref('stg_gitlab__deployments') }}
),

undeployed_repositories as (
    select * from repositories where not has_deployments
),

github_deploy_runs as (
    select
        {{ canonical_id('pipeline_run', 'github', 'runs.repository', 'runs.run_id') }} as deployment_id,
        'github' as source_system,
        runs.repository,
        cast(runs.run_id as varchar) as native_id,
        'workflow_run' as deploy_source,
        'production' as environment,
        true as is_production,
        cast(null as varchar) as source_tier,
        runs.head_sha as sha,
        runs.branch as ref,
        case
            when runs.conclusion = 'success' then 'success'
            when runs.conclusion in ('failure', 'timed_out', 'startup_failure') then 'failure'
            when runs.conclusion = 'cancelled' then 'canceled'
            when runs.conclusion is not null then runs.conclusion
            else runs.status
        end as status,
        coalesce(runs.conclusion, runs.status) as source_status,
        runs.created_at,
        runs.finished_at,
        cast(null as varchar) as creator,
        {{ canonical_id('pipeline_run', 'github', 'runs.repository', 'runs.run_id') }} as pipeline_run_id,
        runs._dlt_load_id
    from {{ ref('stg_github__workflow_runs') }} as runs
    inner join undeployed_repositories as repositories
        on repositories.source_system = 'github' and runs.repository = repositories.repository
    where {{ regex_matches('runs.workflow_name', var('deploy_workflow_regex')) }}
        and runs.branch = coalesce(repositories.default_branch, 'main')
),

gitlab_deploy_pipelines as (
    select
        {{ canonical_id('pipeline_run', 'gitlab', 'pipelines.project_path', 'pipelines.pipeline_id') }} as deployment_id,
        'gitlab' as source_system,
        pipelines.project_path as repository,
        cast(pipelines.pipeline_id as varchar) as native_id,
        'pipeline' as deploy_source,
        'production' as environment,
        true as is_production,
        cast(null as varchar) as source_tier,
        pipelines.head_sha as sha,
        pipelines.branch as ref,
        case pipelines.status
            when 'failed' then 'failure'
            when 'running' then 'in_progress'
            else pipelines.status
        end as status,
        pipelines.status as source_status,
        pipelines.created_at,
        case when pipelines.status in ('success', 'failed', 'canceled') then pipelines.finished_at end as finished_at,
        pipelines.user_username as creator,
        {{ canonical_id('pipeline_run', 'gitlab', 'pipelines.project_path', 'pipelines.pipeline_id') }} as pipeline_run_id,
        pipelines._dlt_load_id
    from {{ ref('stg_gitlab__pipelines') }} as pipelines
    inner join undeployed_repositories as repositories
        on repositories.source_system = 'gitlab' and pipelines.project_path = repositories.repository
    where {{ regex_matches('pipelines.pipeline_name', var('deploy_workflow_regex')) }}
        and pipelines.branch = coalesce(repositories.default_branch, 'main')
),

unioned as (
    select * from github
    union all
    select * from gitlab
    union all
    select * from github_deploy_runs
    union all
    select * from gitlab_deploy_pipelines
)

select
    unioned.deployment_id,
    unioned.source_system,
    unioned.repository,
    coalesce(repositories.service, unioned.repository) as service,
    unioned.native_id,
    unioned.deploy_source,
    unioned.environment,
    case
        when unioned.is_production then 'production'
        when unioned.source_tier is not null then unioned.source_tier
        when {{ regex_matches('unioned.environment', 'stag') }} then 'staging'
        when {{ regex_matches('unioned.environment', '(test|qa|uat)') }} then 'testing'
        when {{ regex_matches('unioned.environment', 'dev') }} then 'development'
        else 'other'
    end as environment_tier,
    unioned.is_production,
    unioned.status = 'success' as is_successful,
    unioned.sha,
    -- a ref given as a full branch name counts as that branch
    case when unioned.ref like 'refs/heads/%' then substring(unioned.ref, 12) else unioned.ref end as ref,
    unioned.status,
    unioned.source_status,
    unioned.created_at,
    unioned.finished_at,
    unioned.creator,
    unioned.pipeline_run_id,
    unioned._dlt_load_id
from unioned
left join repositories
    on unioned.source_system = repositories.source_system and unioned.repository = repositories.repository
