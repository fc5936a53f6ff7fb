{{ config(schema="intermediate", materialized="view") }}  {#- a step of dora_summary -#}
{#-
    The DORA measures over the trailing window, before tiers (dora_summary adds those): the
    `dora_window_weeks` complete ISO weeks before the week of the as-of time, per repository and
    for everything together (`scope` 'organisation', repository '(all)'). int_dora_periods_measured measures the window itself
    (grain 'window'); deploy frequency is added here from its weeks:

    - deploy frequency: the median of the window's weekly deploy days, weeks without
      deployments counted as 0 (the mean is beside it);
    - the rest as int_dora_periods_measured: lead time for changes (median and p85 over the PRs
      deployed in the window), change failure rate, failed deployment recovery, time to restore,
      rework rate.
-#}
with periods as (
    select * from {{ ref('int_dora_periods_measured') }}
),

windows as (
    select
        *,
        cast({{ dbt.dateadd('week', var('dora_window_weeks'), 'period_start') }} as date) as window_end
    from periods
    where grain = 'window'
),

frequency as (
    select
        windows.scope,
        windows.source_system,
        windows.repository,
        count(*) as weeks_observed,
        percentile_cont(0.5) within group (order by weeks.deploy_days) as deploy_days_per_week_p50,
        avg(cast(weeks.deploy_days as {{ type_double() }})) as deploy_days_per_week_mean
    from windows
    inner join periods as weeks
        on weeks.grain = 'week'
        and weeks.source_system = windows.source_system
        and weeks.repository = windows.repository
        and weeks.period_start >= windows.period_start
        and weeks.period_start < windows.window_end
    group by windows.scope, windows.source_system, windows.repository
)

select
    windows.scope,
    windows.period_start as window_start,
    windows.window_end,
    windows.source_system,
    windows.repository,
    windows.team,
    cast(coalesce(frequency.weeks_observed, 0) as integer) as weeks_observed,
    windows.deployments,
    windows.deploy_days,
    frequency.deploy_days_per_week_p50,
    frequency.deploy_days_per_week_mean,
    windows.deployed_changes,
    windows.lead_time_p50_hours,
    windows.lead_time_p85_hours,
    windows.failed_deployments,
    windows.change_failure_rate,
    windows.failed_deployment_recovery_p50_hours,
    windows.incidents_resolved,
    windows.time_to_restore_p50_hours,
    windows.rework_rate
from windows
left join frequency
    on windows.scope = frequency.scope
    and windows.source_system = frequency.source_system
    and windows.repository = frequency.repository
