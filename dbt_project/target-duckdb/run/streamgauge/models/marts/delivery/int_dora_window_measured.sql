
  
  create view "new"."intermediate"."int_dora_window_measured__dbt_tmp" as (
    with periods as (
    select * from "new"."intermediate"."int_dora_periods_measured"
),

windows as (
    select
        *,
        cast(

    (period_start + (cast(12 as bigint) * 7) * interval 1 day) as date) as window_end
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
        avg(cast(weeks.deploy_days as double precision)) as deploy_days_per_week_mean
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
  );
