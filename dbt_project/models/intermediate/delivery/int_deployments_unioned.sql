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
    - is_production: GitLab's environment tier where it has one (production or not), GitHub
      `production_environment`, else an environment name matching `production_environment_regex`.
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
        {{ canonical_id('deployment', 'github', 'deployments.repository_id', 'deployments.deployment_id') }} as deployment_id,
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
        -- the tier GitLab keeps for the environment decides; only without one does the name
        case
            when environment_tier is not null then environment_tier = 'production'
            else coalesce({{ regex_matches('environment', var('production_environment_regex')) }}, false)
        end as is_production,
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

deploy_runs as (
    select
        runs.pipeline_run_id as deployment_id,
        runs.source_system,
        runs.repository,
        runs.native_id,
        case runs.source_system when 'github' then 'workflow_run' else 'pipeline' end as deploy_source,
        'production' as environment,
        true as is_production,
        cast(null as varchar) as source_tier,
        runs.head_sha as sha,
        runs.branch as ref,
        case
            -- GitLab's own status, mapped as for its deployments
            when runs.source_system = 'gitlab' then
                case runs.source_status when 'failed' then 'failure' when 'running' then 'in_progress' else runs.source_status end
            when runs.conclusion = 'success' then 'success'
            when runs.conclusion in ('failure', 'timed_out', 'startup_failure') then 'failure'
            when runs.conclusion = 'cancelled' then 'canceled'
            else coalesce(runs.conclusion, runs.status)
        end as status,
        case runs.source_system when 'github' then coalesce(runs.conclusion, runs.status) else runs.source_status end
            as source_status,
        runs.created_at,
        case
            when runs.source_system = 'github' or runs.source_status in ('success', 'failed', 'canceled') then runs.finished_at
        end as finished_at,
        runs.creator,
        runs.pipeline_run_id,
        runs._dlt_load_id
    from {{ ref('int_pipeline_runs_unioned') }} as runs
    inner join undeployed_repositories as repositories
        on runs.source_system = repositories.source_system and runs.repository = repositories.repository
    where runs.is_deploy_workflow and runs.branch = coalesce(repositories.default_branch, 'main')
),

unioned as (
    select * from github
    union all
    select * from gitlab
    union all
    select * from deploy_runs
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
