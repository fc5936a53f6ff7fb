{#-
    CI health per ISO week (reporting_timezone) × repository × workflow: GitHub Actions workflow
    runs and GitLab pipelines (core.pipeline_runs, one row per run: its latest attempt), on every
    branch unless the var `ci_branch_regex` limits them. A run belongs to the week it was created.
    - runs; concluded runs: those that succeeded or failed (failure, timed_out, startup_failure);
      cancelled, skipped and waiting runs judged nothing; failure_rate = failed ÷ concluded.
    - flaky_rate: of the head shas whose first run of the workflow was created in the week and
      that have a concluded run, the share whose runs of that workflow both failed and succeeded.
      GitHub keeps only a run's latest attempt, so a run that succeeded on a re-run (attempt > 1)
      counts as failed and then passed: failed jobs are what people re-run.
    - duration p50/p85 (started → finished) of the concluded runs; queue p50 (created → started)
      of the runs that started; hours_lost = Σ duration of the failed runs.
    Weeks without runs are zero rows, from each workflow's first run to the as-of week.
-#}
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
        {{ period_start('week', 'created_at') }} as period_start,
        conclusion in ('failure', 'timed_out', 'startup_failure') as is_failed,
        conclusion = 'success' as is_succeeded
    from {{ ref('pipeline_runs') }}
    {%- if var('ci_branch_regex') %}
    where {{ regex_matches('branch', var('ci_branch_regex')) }}
    {%- endif %}
),

workflows as (
    select source_system, repository, workflow, min(team) as team, min(period_start) as first_week
    from runs
    group by source_system, repository, workflow
),

weeks as (
    {{ delivery_period_series('week', '(select min(first_week) from workflows)', period_start('week', as_of())) }}
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
        {{ round_double("percentile_cont(0.50) within group (
            order by case when is_failed or is_succeeded then duration_seconds / 3600.0e0 end
        )", 6) }} as duration_p50_hours,
        {{ round_double("percentile_cont(0.85) within group (
            order by case when is_failed or is_succeeded then duration_seconds / 3600.0e0 end
        )", 6) }} as duration_p85_hours,
        {{ round_double("percentile_cont(0.50) within group (
            order by case
                when started_at >= created_at then " ~ dbt.datediff('created_at', 'started_at', 'second') ~ " / 3600.0e0
            end
        )", 6) }} as queue_p50_hours,
        sum(case when is_failed then cast(duration_seconds as {{ type_double() }}) / 3600 else 0 end) as hours_lost
    from runs
    group by source_system, repository, workflow, period_start
),

shas as (
    {#- each head sha once per workflow, in the week of its first run there -#}
    select
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
    {{ is_complete('week', 'weeks.period_start') }} as is_complete,
    workflows.source_system,
    workflows.repository,
    workflows.team,
    workflows.workflow,
    cast(coalesce(measured.runs, 0) as integer) as runs,
    cast(coalesce(measured.concluded_runs, 0) as integer) as concluded_runs,
    cast(coalesce(measured.failed_runs, 0) as integer) as failed_runs,
    cast(measured.failed_runs as {{ type_double() }}) / nullif(measured.concluded_runs, 0) as failure_rate,
    cast(coalesce(sha_counts.concluded_shas, 0) as integer) as concluded_shas,
    cast(coalesce(sha_counts.flaky_shas, 0) as integer) as flaky_shas,
    cast(sha_counts.flaky_shas as {{ type_double() }}) / nullif(sha_counts.concluded_shas, 0) as flaky_rate,
    measured.duration_p50_hours,
    measured.duration_p85_hours,
    measured.queue_p50_hours,
    coalesce(measured.hours_lost, 0) as hours_lost,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
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
