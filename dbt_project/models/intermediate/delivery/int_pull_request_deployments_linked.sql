{{ config(materialized="table") }}
{#-
    The production deployment that first shipped each merged pull request (metrics.md):

    1. `sha`: the earliest successful production deployment of the PR's repository whose sha is
       the PR's merge commit.
    2. else `time`: the first successful production deployment of the PR's base branch *created*
       at or after merged_at. A deployment that started before the merge cannot contain it; a
       batch deployment of a later commit, or of a squash commit nobody deployed directly, does.
       Nor can one that re-ships a sha production already had before the merge (a rollback, a
       re-deploy of an old version): those are skipped.
    deployed_at is that deployment's finished_at. Unmerged and never-deployed PRs have no row.

    A PR merged before the first production deployment the pipeline knows of for its repository
    (or before the var `deploy_history_start`) gets no time link: nobody knows what that first
    deployment contained, and linking it would let one deployment absorb years of PRs. A sha
    match still links it.
-#}
with merged as (
    select pull_request_id, source_system, repository, base_branch, merge_sha, merged_at
    from {{ ref('int_pull_requests_unioned') }}
    where merged_at is not null
),

production as (
    select
        deployment_id,
        source_system,
        repository,
        sha,
        ref,
        created_at,
        finished_at,
        -- when production first started to ship this sha: a PR merged later cannot be in it
        min(created_at) over (partition by source_system, repository, sha) as sha_first_created_at
    from {{ ref('int_deployments_unioned') }}
    where is_production and is_successful
),

by_sha as (
    select
        merged.pull_request_id,
        production.deployment_id,
        production.finished_at,
        row_number() over (
            partition by merged.pull_request_id
            order by production.finished_at, production.created_at, production.deployment_id
        ) as candidate_rank
    from merged
    inner join production
        on merged.source_system = production.source_system
        and merged.repository = production.repository
        and merged.merge_sha = production.sha
),

ranked_production as (
    select
        *,
        row_number() over (
            partition by source_system, repository, ref order by created_at, finished_at, deployment_id
        ) as deploy_seq
    from production
),

-- when each repository's recorded deployment history begins
history_starts as (
    select
        source_system,
        repository,
        {%- if var('deploy_history_start') %}
        greatest(min(created_at), cast('{{ var("deploy_history_start") }}' as timestamp)) as history_start
        {%- else %}
        min(created_at) as history_start
        {%- endif %}
    from production
    group by source_system, repository
),

timeline as (
    {#-
        Deployments and merges of a branch on one timeline, latest first: the running minimum of
        deploy_seq at a merge is the earliest-created deployment that can contain it. A window,
        not a join of every PR with every later deployment, so the cost grows as n log n.
    -#}
    select source_system, repository, ref, sha_first_created_at as moment, 0 as kind, deploy_seq,
        cast(null as {{ type_varchar() }}) as pull_request_id
    from ranked_production
    union all
    select merged.source_system, merged.repository, merged.base_branch, merged.merged_at, 1, cast(null as bigint),
        cast(merged.pull_request_id as {{ type_varchar() }})
    from merged
    inner join history_starts
        on merged.source_system = history_starts.source_system and merged.repository = history_starts.repository
    where merged.merged_at >= history_starts.history_start
),

next_deployments as (
    select
        pull_request_id,
        source_system,
        repository,
        ref,
        min(deploy_seq) over (
            partition by source_system, repository, ref
            order by moment desc, kind rows between unbounded preceding and current row
        ) as deploy_seq
    from timeline
),

by_time as (
    select
        next_deployments.pull_request_id,
        ranked_production.deployment_id,
        ranked_production.finished_at,
        1 as candidate_rank
    from next_deployments
    inner join ranked_production
        on next_deployments.source_system = ranked_production.source_system
        and next_deployments.repository = ranked_production.repository
        and next_deployments.ref = ranked_production.ref
        and next_deployments.deploy_seq = ranked_production.deploy_seq
    where next_deployments.pull_request_id is not null
),

linked as (
    select
        merged.pull_request_id,
        coalesce(by_sha.deployment_id, by_time.deployment_id) as deployment_id,
        coalesce(by_sha.finished_at, by_time.finished_at) as deployed_at,
        case when by_sha.deployment_id is not null then 'sha' when by_time.deployment_id is not null then 'time' end
            as link_method
    from merged
    left join by_sha on merged.pull_request_id = by_sha.pull_request_id and by_sha.candidate_rank = 1
    left join by_time on cast(merged.pull_request_id as {{ type_varchar() }}) = by_time.pull_request_id
)

select * from linked
where deployment_id is not null
