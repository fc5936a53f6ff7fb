
  
  create view "new"."intermediate"."int_jenkins_builds_mapped__dbt_tmp" as (
    with builds as (
    select * from "new"."staging"."stg_jenkins__builds"
),

jobs as (
    select * from "new"."staging"."stg_jenkins__jobs"
),

revisions as (
    select * from "new"."staging"."stg_jenkins__build_revisions"
),

repositories as (
    select source_system, repository from "new"."intermediate"."int_repositories_unioned"
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
    from "new"."staging"."stg_jenkins__build_causes"
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
            then 

    (builds.started_at + cast(-1 * builds.queuing_duration_ms as bigint) * interval 1 millisecond)
        else builds.started_at
    end as created_at,
    builds.started_at,
    case
        when not builds.is_building and builds.duration_ms is not null
            then 

    (builds.started_at + cast(builds.duration_ms as bigint) * interval 1 millisecond)
    end as finished_at,
    coalesce(causes.first_user, causes.any_user) as creator,
    builds.url,
    builds._dlt_load_id
from builds
left join jobs on builds.job = jobs.job
left join matched on builds.build_key = matched.build_key and matched.revision_rank = 1
left join causes on builds.build_key = causes.build_key
  );
