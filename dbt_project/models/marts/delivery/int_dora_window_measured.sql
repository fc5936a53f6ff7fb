{{ config(schema="intermediate", materialized="view") }}  {#- a step of dora_summary -#}
{#-
    The DORA measures over the trailing window, before tiers (marts.dora_summary adds those):
    the `dora_window_weeks` complete ISO weeks before the week of the as-of time, per repository
    and for everything together ('(all)'). A step of the mart, so that its tiers can be tested
    alone; it reads marts.dora_weekly for the weekly deploy days, quiet weeks included.

    - deploy frequency: the median of the window's weekly deploy days, weeks without
      deployments counted as 0 (the mean is beside it);
    - lead time for changes: median (and p85) over the PRs deployed in the window;
    - change failure rate: failed production deployments / production deployments in the window;
    - failed deployment recovery: median over the window's failed deployments that recovered;
    - time to restore: median over incidents resolved in the window; rework rate as in dora_weekly.
-#}
with weekly as (
    select * from {{ ref('dora_weekly') }}
),

window_bounds as (
    select
        cast({{ dbt.dateadd('week', -1 * var('dora_window_weeks'), period_start('week', as_of())) }} as date)
            as window_start,
        {{ period_start('week', as_of()) }} as window_end
),

deployments as (
    select *, {{ period_start('week', 'finished_at') }} as week_start
    from {{ ref('deployments') }}
    where is_production and is_successful
),

pull_requests as (
    select *, {{ period_start('week', 'deployed_at') }} as week_start
    from {{ ref('pull_requests') }}
    where deployed_at is not null
),

incidents as (
    select *, {{ period_start('week', 'resolved_at') }} as week_start
    from {{ ref('incidents') }}
    where resolved_at is not null
),

in_window_weeks as (
    select weekly.*
    from weekly
    cross join window_bounds
    where weekly.week_start >= window_bounds.window_start and weekly.week_start < window_bounds.window_end
),

scopes as (
    select distinct source_system, repository, service from weekly
),

frequency as (
    select
        source_system,
        repository,
        count(*) as weeks_observed,
        sum(deployments) as deployments,
        sum(deploy_days) as deploy_days,
        percentile_cont(0.5) within group (order by deploy_days) as deploy_days_per_week_p50,
        avg(cast(deploy_days as double precision)) as deploy_days_per_week_mean
    from in_window_weeks
    group by source_system, repository
),

window_deployments as (
    select deployments.*
    from deployments
    cross join window_bounds
    where deployments.week_start >= window_bounds.window_start and deployments.week_start < window_bounds.window_end
),

scoped_deployments as (
    select source_system as scope_system, repository as scope, is_failed, is_rework, recovery_hours from window_deployments
    union all
    select '(all)', '(all)', is_failed, is_rework, recovery_hours from window_deployments
),

stability as (
    select
        scope_system,
        scope,
        count(*) as deployments,
        sum(case when is_failed then 1 else 0 end) as failed_deployments,
        sum(case when is_rework then 1 else 0 end) as rework_deployments,
        percentile_cont(0.5) within group (order by recovery_hours) as failed_deployment_recovery_p50_hours
    from scoped_deployments
    group by scope_system, scope
),

window_changes as (
    select {{ delivery_hours_between('pull_requests.first_commit_at', 'pull_requests.deployed_at') }} as lead_time_hours,
        pull_requests.source_system, pull_requests.repository
    from pull_requests
    cross join window_bounds
    where pull_requests.week_start >= window_bounds.window_start and pull_requests.week_start < window_bounds.window_end
),

scoped_changes as (
    select source_system as scope_system, repository as scope, lead_time_hours from window_changes
    union all
    select '(all)', '(all)', lead_time_hours from window_changes
),

speed as (
    select
        scope_system,
        scope,
        count(*) as deployed_changes,
        percentile_cont(0.5) within group (order by lead_time_hours) as lead_time_p50_hours,
        percentile_cont(0.85) within group (order by lead_time_hours) as lead_time_p85_hours
    from scoped_changes
    group by scope_system, scope
),

window_incidents as (
    select incidents.source_system, incidents.repository, incidents.time_to_restore_hours
    from incidents
    cross join window_bounds
    where incidents.week_start >= window_bounds.window_start and incidents.week_start < window_bounds.window_end
),

scoped_incidents as (
    select source_system as scope_system, repository as scope, time_to_restore_hours from window_incidents
    union all
    select '(all)', '(all)', time_to_restore_hours from window_incidents
),

restoration as (
    select
        scope_system,
        scope,
        count(*) as incidents_resolved,
        percentile_cont(0.5) within group (order by time_to_restore_hours) as time_to_restore_p50_hours
    from scoped_incidents
    group by scope_system, scope
),

measured as (
    select
        scopes.source_system,
        scopes.repository,
        scopes.service,
        cast(coalesce(frequency.weeks_observed, 0) as integer) as weeks_observed,
        cast(coalesce(stability.deployments, 0) as integer) as deployments,
        cast(coalesce(frequency.deploy_days, 0) as integer) as deploy_days,
        frequency.deploy_days_per_week_p50,
        frequency.deploy_days_per_week_mean,
        cast(coalesce(speed.deployed_changes, 0) as integer) as deployed_changes,
        speed.lead_time_p50_hours,
        speed.lead_time_p85_hours,
        cast(coalesce(stability.failed_deployments, 0) as integer) as failed_deployments,
        cast(stability.failed_deployments as double precision) / nullif(stability.deployments, 0) as change_failure_rate,
        stability.failed_deployment_recovery_p50_hours,
        cast(coalesce(restoration.incidents_resolved, 0) as integer) as incidents_resolved,
        restoration.time_to_restore_p50_hours,
        cast(stability.rework_deployments as double precision) / nullif(stability.deployments, 0) as rework_rate
    from scopes
    left join frequency on scopes.source_system = frequency.source_system and scopes.repository = frequency.repository
    left join stability on scopes.source_system = stability.scope_system and scopes.repository = stability.scope
    left join speed on scopes.source_system = speed.scope_system and scopes.repository = speed.scope
    left join restoration on scopes.source_system = restoration.scope_system and scopes.repository = restoration.scope
)

select
    window_bounds.window_start,
    window_bounds.window_end,
    measured.*
from measured
cross join window_bounds
