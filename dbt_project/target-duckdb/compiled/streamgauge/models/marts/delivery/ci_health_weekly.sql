with runs as (
    select
        source_system,
        repository,
        service as team,
        -- a GitLab pipeline usually has no name: the project's pipeline
        coalesce(workflow_name, 'pipeline') as workflow,
        head_sha,
        attempt,
        conclusion,
        created_at,
        started_at,
        finished_at,
        duration_seconds,
        cast(date_trunc('week', created_at) as date) as period_start,
        conclusion in ('failure', 'timed_out', 'startup_failure') as is_failed,
        conclusion = 'success' as is_succeeded
    from "new"."core"."pipeline_runs"
),

workflows as (
    select source_system, repository, workflow, min(team) as team, min(period_start) as first_week
    from runs
    group by source_system, repository, workflow
),

weeks as (
    select cast(

    ((select min(first_week) from workflows) + (cast(cast(series.generated_number as integer) - 1 as bigint) * 7) * interval 1 day) as date) as period_start
    from (
    select
        generate_series as generated_number
    from generate_series(1, 1100)
) as series
    where 

    ((select min(first_week) from workflows) + (cast(cast(series.generated_number as integer) - 1 as bigint) * 7) * interval 1 day) <= cast(date_trunc('week', cast('2026-11-02 00:00:00' as timestamp)) as date)
),

measured as (
    select
        source_system,
        repository,
        workflow,
        period_start,
        count(*) as runs,
        sum(case when is_failed or is_succeeded then 1 else 0 end) as concluded_runs,
        sum(case when is_failed then 1 else 0 end) as failed_runs,
        round(percentile_cont(0.50) within group (
            order by case when is_failed or is_succeeded then duration_seconds / 3600.0e0 end
        ), 6) as duration_p50_hours,
        round(percentile_cont(0.85) within group (
            order by case when is_failed or is_succeeded then duration_seconds / 3600.0e0 end
        ), 6) as duration_p85_hours,
        round(percentile_cont(0.50) within group (
            order by case
                when started_at >= created_at then 
        (date_diff('second', created_at::timestamp, started_at::timestamp ))
     / 3600.0e0
            end
        ), 6) as queue_p50_hours,
        sum(case when is_failed then cast(duration_seconds as double precision) / 3600 else 0 end) as hours_lost
    from runs
    group by source_system, repository, workflow, period_start
),

shas as (select
        source_system,
        repository,
        workflow,
        min(period_start) as period_start,
        max(case when is_failed or is_succeeded then 1 else 0 end) = 1 as is_concluded,
        (max(case when is_failed then 1 else 0 end) = 1 and max(case when is_succeeded then 1 else 0 end) = 1)
        or max(case when is_succeeded and attempt > 1 then 1 else 0 end) = 1 as is_flaky
    from runs
    where head_sha is not null
    group by source_system, repository, workflow, head_sha
),

sha_counts as (
    select
        source_system,
        repository,
        workflow,
        period_start,
        sum(case when is_concluded then 1 else 0 end) as concluded_shas,
        sum(case when is_flaky then 1 else 0 end) as flaky_shas
    from shas
    group by source_system, repository, workflow, period_start
)

select
    weeks.period_start,
    (cast(

    (weeks.period_start + (cast(1 as bigint) * 7) * interval 1 day) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp)) as is_complete,
    workflows.source_system,
    workflows.repository,
    workflows.team,
    workflows.workflow,
    cast(coalesce(measured.runs, 0) as integer) as runs,
    cast(coalesce(measured.concluded_runs, 0) as integer) as concluded_runs,
    cast(coalesce(measured.failed_runs, 0) as integer) as failed_runs,
    cast(measured.failed_runs as double precision) / nullif(measured.concluded_runs, 0) as failure_rate,
    cast(coalesce(sha_counts.concluded_shas, 0) as integer) as concluded_shas,
    cast(coalesce(sha_counts.flaky_shas, 0) as integer) as flaky_shas,
    cast(sha_counts.flaky_shas as double precision) / nullif(sha_counts.concluded_shas, 0) as flaky_rate,
    measured.duration_p50_hours,
    measured.duration_p85_hours,
    measured.queue_p50_hours,
    coalesce(measured.hours_lost, 0) as hours_lost,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from workflows
inner join weeks on weeks.period_start >= workflows.first_week
left join measured
    on workflows.source_system = measured.source_system
    and workflows.repository = measured.repository
    and workflows.workflow = measured.workflow
    and weeks.period_start = measured.period_start
left join sha_counts
    on workflows.source_system = sha_counts.source_system
    and workflows.repository = sha_counts.repository
    and workflows.workflow = sha_counts.workflow
    and weeks.period_start = sha_counts.period_start