{{ config(materialized="table") }}
{#-
    Every deployment, from either source, with its outcome; for a repository that records no
    deployments at all, its deploy workflow runs / pipelines stand in (metrics.md).

    - GitHub: the outcome comes from the statuses. GitHub marks a successful deployment
      `inactive` once a newer one replaces it, so a deployment is successful if it *ever*
      reached `success`; finished_at is its first success (else its first failure or error).
    - GitLab: the deployment's own status; finished_at is its finish (else the deploy job's).
    - Jenkins: a pipeline stage whose name matches an environment's pattern in the var
      `jenkins_deployment_patterns` (the first pattern that matches names the environment) is a
      deployment to it, with the stage's status as the outcome (SUCCESS success; FAILED and
      UNSTABLE failure; ABORTED canceled; NOT_EXECUTED and SKIPPED skipped; IN_PROGRESS and
      PAUSED_PENDING_INPUT in_progress) and finished_at its end. A build with no such stage
      is a deployment when its job's path matches a pattern, with the build's result (as for
      its pipeline run: SUCCESS success, FAILURE and UNSTABLE failure, ABORTED canceled).
      It counts in the system of the repository it built (int_jenkins_builds_mapped), so pull
      requests link to it by sha or time as to the repository's own deployments.
    - No deployments recorded: runs on the default branch of workflows / pipelines whose name
      matches `deploy_workflow_regex` are production deployments (environment `production`).
    - is_production: GitLab's environment tier where it has one (production or not), GitHub
      `production_environment`, else an environment name matching `production_environment_regex`
      (a Jenkins environment is named by its pattern: `production` is production).
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
        cast(deployments.deployment_id as {{ type_varchar() }}) as native_id,
        'deployment' as deploy_source,
        deployments.environment,
        coalesce(deployments.is_production_environment, false)
        or coalesce({{ regex_matches('deployments.environment', var('production_environment_regex')) }}, false) as is_production,
        cast(null as {{ type_varchar() }}) as source_tier,
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
        cast(null as {{ type_varchar() }}) as pipeline_run_id,
        deployments._dlt_load_id
    from {{ ref('stg_github__deployments') }} as deployments
    left join github_outcomes as outcomes on deployments.deployment_id = outcomes.deployment_id
),

gitlab as (
    select
        {{ canonical_id('deployment', 'gitlab', 'project_path', 'deployment_id') }} as deployment_id,
        'gitlab' as source_system,
        project_path as repository,
        cast(deployment_id as {{ type_varchar() }}) as native_id,
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

jenkins_builds as (
    select * from {{ ref('int_jenkins_builds_mapped') }}
),

jenkins_stages as (
    select
        stages.*,
        case
            {%- for environment, pattern in var('jenkins_deployment_patterns') %}
            when {{ regex_matches('stages.stage_name', pattern) }} then '{{ environment }}'
            {%- endfor %}
        end as environment
    from {{ ref('stg_jenkins__stages') }} as stages
),

jenkins_job_builds as (
    select
        jenkins_builds.*,
        case
            {%- for environment, pattern in var('jenkins_deployment_patterns') %}
            when {{ regex_matches('jenkins_builds.job', pattern) }} then '{{ environment }}'
            {%- endfor %}
        end as environment
    from jenkins_builds
    where jenkins_builds.build_key not in (select build_key from jenkins_stages where environment is not null)
),

jenkins as (
    select
        {{ canonical_id('deployment', 'jenkins', 'builds.instance', "builds.build_key || ':stage:' || stages.stage_id") }}
            as deployment_id,
        coalesce(builds.repository_system, 'jenkins') as source_system,
        builds.repository,
        builds.build_key || ':stage:' || stages.stage_id as native_id,
        'jenkins_stage' as deploy_source,
        stages.environment,
        stages.environment = 'production'
        or coalesce({{ regex_matches('stages.environment', var('production_environment_regex')) }}, false) as is_production,
        cast(null as {{ type_varchar() }}) as source_tier,
        builds.head_sha as sha,
        builds.branch as ref,
        case stages.status
            when 'SUCCESS' then 'success'
            when 'FAILED' then 'failure'
            when 'UNSTABLE' then 'failure'
            when 'ABORTED' then 'canceled'
            when 'NOT_EXECUTED' then 'skipped'
            when 'SKIPPED' then 'skipped'
            else 'in_progress'
        end as status,
        stages.status as source_status,
        stages.started_at as created_at,
        case
            when stages.status in ('SUCCESS', 'FAILED', 'UNSTABLE', 'ABORTED')
                then {{ dbt.dateadd('millisecond', 'stages.duration_ms', 'stages.started_at') }}
        end as finished_at,
        builds.creator,
        {{ canonical_id('pipeline_run', 'jenkins', 'builds.instance', 'builds.build_key') }} as pipeline_run_id,
        builds._dlt_load_id
    from jenkins_stages as stages
    inner join jenkins_builds as builds on stages.build_key = builds.build_key
    where stages.environment is not null

    union all

    select
        {{ canonical_id('deployment', 'jenkins', 'instance', 'build_key') }} as deployment_id,
        coalesce(repository_system, 'jenkins') as source_system,
        repository,
        build_key as native_id,
        'jenkins_build' as deploy_source,
        environment,
        environment = 'production'
        or coalesce({{ regex_matches('environment', var('production_environment_regex')) }}, false) as is_production,
        cast(null as {{ type_varchar() }}) as source_tier,
        head_sha as sha,
        branch as ref,
        case
            when status = 'in_progress' then 'in_progress'
            when conclusion = 'cancelled' then 'canceled'
            else conclusion
        end as status,
        source_status,
        created_at,
        finished_at,
        creator,
        {{ canonical_id('pipeline_run', 'jenkins', 'instance', 'build_key') }} as pipeline_run_id,
        _dlt_load_id
    from jenkins_job_builds
    where environment is not null
),

undeployed_repositories as (
    -- deployed through Jenkins counts as recording deployments
    select * from repositories
    where not has_deployments
        and not exists (
            select 1 from jenkins
            where jenkins.source_system = repositories.source_system and jenkins.repository = repositories.repository
        )
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
        cast(null as {{ type_varchar() }}) as source_tier,
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
    select * from jenkins
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
