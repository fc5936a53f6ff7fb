with production as (
    select
        deployment_id,
        source_system,
        repository,
        sha,
        finished_at,
        row_number() over (
            partition by source_system, repository order by finished_at, created_at, deployment_id
        ) as sequence_number
    from "new"."intermediate"."int_deployments_unioned"
    where is_production and is_successful and sha is not null
),

versioned as (
    -- when each sha first reached production, and what was live before each deployment
    select
        *,
        min(sequence_number) over (partition by source_system, repository, sha) as sha_first_sequence_number
    from production
),

with_previous as (
    select
        *,
        lag(sha_first_sequence_number) over (
            partition by source_system, repository order by sequence_number
        ) as replaced_sha_first_sequence_number
    from versioned
),

rollback_candidates as (
    select
        candidate.deployment_id,
        candidate.source_system,
        candidate.repository,
        candidate.sha,
        candidate.finished_at,
        candidate.sequence_number,
        max(earlier.sequence_number) as restored_sequence_number
    from with_previous as candidate
    inner join versioned as earlier
        on candidate.source_system = earlier.source_system
        and candidate.repository = earlier.repository
        and candidate.sha = earlier.sha
        and earlier.sequence_number < candidate.sequence_number
    where candidate.sha_first_sequence_number < candidate.replaced_sha_first_sequence_number
    group by
        candidate.deployment_id, candidate.source_system, candidate.repository, candidate.sha,
        candidate.finished_at, candidate.sequence_number
)

select
    undone.deployment_id as rolled_back_deployment_id,
    restorer.deployment_id as rollback_deployment_id,
    restorer.finished_at as rollback_finished_at
from rollback_candidates as restorer
inner join production as undone
    on undone.source_system = restorer.source_system
    and undone.repository = restorer.repository
    and undone.sequence_number > restorer.restored_sequence_number
    and undone.sequence_number < restorer.sequence_number
    and undone.sha <> restorer.sha
    and 
        (date_diff('second', undone.finished_at::timestamp, restorer.finished_at::timestamp ))
     <= 168 * 3600