{#-
    Jenkins builds, one row each, with the repository they built and the vocabulary of the other
    CI sources (int_pipeline_runs_unioned):
    - repository: of the build's revisions (every BuildData action's remote URLs, in Jenkins'
      order), the first whose path is a known GitHub repository or GitLab project, which also
      gives repository_system; else the first revision's path, with repository_system null.
      A shared library checked out beside the code is a revision too: it is passed over while
      it is not a known repository.
    - head_sha and branch: of that revision.
    - workflow: the multibranch project for a branch or pull request job (`acme/web` for
      `acme/web/PR-12`), else the job's path.
    - status: in_progress while building, else completed; conclusion: SUCCESS success, FAILURE and
      UNSTABLE failure, ABORTED cancelled, NOT_BUILT skipped.
    - event: the first cause: replay, rebuild, upstream, manual (a user), schedule (a timer),
      pull_request (a branch event on a PR job), push (any other branch event), else other.
    - attempt: 2 for a re-run (a replay or a rebuild), else 1.
    - created_at: started_at less the Metrics plugin's queue time where present, else started_at.
-#}
with builds as (
    select * from {{ ref('stg_jenkins__builds') }}
),

jobs as (
    select * from {{ ref('stg_jenkins__jobs') }}
),

revisions as (
    select * from {{ ref('stg_jenkins__build_revisions') }}
),

repositories as (
    select source_system, repository from {{ ref('int_repositories_unioned') }}
),

matched as (
    select
        revisions.build_key,
        revisions.position,
        revisions.sha,
        revisions.branch,
        revisions.repository_path,
        repositories.source_system as repository_system,
        repositories.repository,
        row_number() over (
            partition by revisions.build_key
            order by case when repositories.repository is null then 1 else 0 end, revisions.position,
                repositories.source_system
        ) as revision_rank
    from revisions
    left join repositories
        on revisions.repository_path = repositories.repository
        or revisions.repository_path like ('%/' || repositories.repository)
),

causes as (
    select
        build_key,
        max(case when is_rerun then 1 else 0 end) = 1 as is_rerun,
        max(case when position = 0 then cause_class end) as first_cause,
        max(case when position = 0 then user_id end) as first_user,
        max(user_id) as any_user
    from {{ ref('stg_jenkins__build_causes') }}
    group by build_key
)

select
    builds.build_key,
    builds.instance,
    builds.job,
    builds.number,
    matched.repository_system,
    coalesce(matched.repository, matched.repository_path, builds.job) as repository,
    case when jobs.is_branch_job then substring(builds.job, 1, length(builds.job) - length(jobs.name) - 1)
        else builds.job end as workflow_name,
    case
        when causes.first_cause like '%.ReplayCause' then 'replay'
        when causes.first_cause like '%.RebuildCause' then 'rebuild'
        when causes.first_cause like '%UpstreamCause' then 'upstream'
        when causes.first_cause like '%UserIdCause' then 'manual'
        when causes.first_cause like '%TimerTriggerCause' then 'schedule'
        when causes.first_cause like '%BranchEventCause' or causes.first_cause like '%BranchIndexingCause' then
            case when jobs.name like 'PR-%' or jobs.name like 'MR-%' then 'pull_request' else 'push' end
        else 'other'
    end as event,
    coalesce(matched.branch, jobs.name) as branch,
    matched.sha as head_sha,
    case when builds.is_building then 'in_progress' else 'completed' end as status,
    case
        when builds.is_building then null
        when builds.result = 'SUCCESS' then 'success'
        when builds.result in ('FAILURE', 'UNSTABLE') then 'failure'
        when builds.result = 'ABORTED' then 'cancelled'
        when builds.result = 'NOT_BUILT' then 'skipped'
    end as conclusion,
    case when builds.is_building then 'BUILDING' else builds.result end as source_status,
    cast(case when coalesce(causes.is_rerun, false) then 2 else 1 end as bigint) as attempt,
    builds.number as run_number,
    case
        when builds.queuing_duration_ms is not null
            then {{ dbt.dateadd('millisecond', '-1 * builds.queuing_duration_ms', 'builds.started_at') }}
        else builds.started_at
    end as created_at,
    builds.started_at,
    case
        when not builds.is_building and builds.duration_ms is not null
            then {{ dbt.dateadd('millisecond', 'builds.duration_ms', 'builds.started_at') }}
    end as finished_at,
    coalesce(causes.first_user, causes.any_user) as creator,
    builds.url,
    builds._dlt_load_id
from builds
left join jobs on builds.job = jobs.job
left join matched on builds.build_key = matched.build_key and matched.revision_rank = 1
left join causes on builds.build_key = causes.build_key
