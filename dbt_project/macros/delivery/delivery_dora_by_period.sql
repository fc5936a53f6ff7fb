{#-
    The body of dora_weekly and dora_monthly: DORA measures per period (`grain` week or month,
    in `reporting_timezone`) for every repository that ever deployed to production, and for
    everything together (repository '(all)').

    Each event lands in the period of the moment it completed:
    - a production deployment (successful, production environment) in the period it finished;
      it counts once however many incidents it has (change failure rate is per deployment);
      its recovery time (when it failed) lands with it;
    - a deployed pull request in the period of its deployment (lead time for changes);
    - a resolved incident in the period it was resolved (time to restore).
    The spine runs from each repository's first event to the later of the last event and the
    as-of time: a period with no deployments is a row of zeros, not a missing row.
-#}
{% macro delivery_dora_by_period(grain) %}
{%- set period_column = grain ~ '_start' -%}
with deployments as (
    select * from {{ ref('deployments') }}
    where is_production and is_successful
),

pull_requests as (
    select * from {{ ref('pull_requests') }}
    where deployed_at is not null
),

incidents as (
    select * from {{ ref('incidents') }}
    where resolved_at is not null
),

deployed_repositories as (
    select source_system, repository, min(service) as service
    from deployments
    group by source_system, repository
),

deployment_events as (
    select
        source_system,
        repository,
        {{ period_start(grain, 'finished_at') }} as period_start,
        {{ period_start('day', 'finished_at') }} as deploy_day,
        deployment_id,
        is_failed,
        is_rework,
        recovery_hours
    from deployments
),

change_events as (
    select
        source_system,
        repository,
        {{ period_start(grain, 'deployed_at') }} as period_start,
        {{ delivery_hours_between('first_commit_at', 'deployed_at') }} as lead_time_hours,
        {{ delivery_hours_between('merged_at', 'deployed_at') }} as merge_to_deploy_hours
    from pull_requests
),

restore_events as (
    select
        source_system,
        repository,
        {{ period_start(grain, 'resolved_at') }} as period_start,
        time_to_restore_hours
    from incidents
),

-- every event counts for its repository and for '(all)'
scoped_deployments as (
    select source_system as scope_system, repository as scope, deployment_events.* from deployment_events
    union all
    select '(all)', '(all)', deployment_events.* from deployment_events
),

scoped_changes as (
    select source_system as scope_system, repository as scope, change_events.* from change_events
    union all
    select '(all)', '(all)', change_events.* from change_events
),

scoped_restores as (
    select restore_events.source_system as scope_system, restore_events.repository as scope, restore_events.*
    from restore_events
    inner join deployed_repositories
        on restore_events.source_system = deployed_repositories.source_system
        and restore_events.repository = deployed_repositories.repository
    union all
    select '(all)', '(all)', restore_events.* from restore_events
),

scopes as (
    select scope_system, scope, min(period_start) as first_period
    from (
        select scope_system, scope, period_start from scoped_deployments
        union all
        select scope_system, scope, period_start from scoped_restores
    ) as events
    group by scope_system, scope
),

bounds as (
    select
        min(first_period) as first_period,
        max(last_period) as last_period
    from (
        select first_period, first_period as last_period from scopes
        union all
        select period_start, period_start from scoped_deployments
        union all
        select period_start, period_start from scoped_restores
        union all
        select cast(null as date), {{ period_start(grain, as_of()) }}
    ) as moments
),

periods as (
    {{ delivery_period_series(grain, '(select first_period from bounds)', '(select last_period from bounds)') }}
),

spine as (
    select scopes.scope_system, scopes.scope, periods.period_start
    from scopes
    inner join periods on periods.period_start >= scopes.first_period
),

deployment_stats as (
    select
        scope_system,
        scope,
        period_start,
        count(*) as deployments,
        count(distinct deploy_day) as deploy_days,
        sum(case when is_failed then 1 else 0 end) as failed_deployments,
        sum(case when is_rework then 1 else 0 end) as rework_deployments,
        count(recovery_hours) as recovered_deployments,
        percentile_cont(0.5) within group (order by recovery_hours) as failed_deployment_recovery_p50_hours
    from scoped_deployments
    group by scope_system, scope, period_start
),

change_stats as (
    select
        scope_system,
        scope,
        period_start,
        count(*) as deployed_changes,
        percentile_cont(0.5) within group (order by lead_time_hours) as lead_time_p50_hours,
        percentile_cont(0.85) within group (order by lead_time_hours) as lead_time_p85_hours,
        percentile_cont(0.5) within group (order by merge_to_deploy_hours) as merge_to_deploy_p50_hours
    from scoped_changes
    group by scope_system, scope, period_start
),

restore_stats as (
    select
        scope_system,
        scope,
        period_start,
        count(*) as incidents_resolved,
        percentile_cont(0.5) within group (order by time_to_restore_hours) as time_to_restore_p50_hours
    from scoped_restores
    group by scope_system, scope, period_start
)

select
    spine.period_start as {{ period_column }},
    spine.scope_system as source_system,
    spine.scope as repository,
    coalesce(deployed_repositories.service, spine.scope) as service,
    cast(coalesce(deployment_stats.deployments, 0) as integer) as deployments,
    cast(coalesce(deployment_stats.deploy_days, 0) as integer) as deploy_days,
    cast(coalesce(deployment_stats.failed_deployments, 0) as integer) as failed_deployments,
    cast(deployment_stats.failed_deployments as double precision) / nullif(deployment_stats.deployments, 0)
        as change_failure_rate,
    cast(coalesce(deployment_stats.rework_deployments, 0) as integer) as rework_deployments,
    cast(deployment_stats.rework_deployments as double precision) / nullif(deployment_stats.deployments, 0)
        as rework_rate,
    cast(coalesce(change_stats.deployed_changes, 0) as integer) as deployed_changes,
    change_stats.lead_time_p50_hours,
    change_stats.lead_time_p85_hours,
    change_stats.merge_to_deploy_p50_hours,
    cast(coalesce(deployment_stats.recovered_deployments, 0) as integer) as recovered_deployments,
    deployment_stats.failed_deployment_recovery_p50_hours,
    cast(coalesce(restore_stats.incidents_resolved, 0) as integer) as incidents_resolved,
    restore_stats.time_to_restore_p50_hours,
    {{ refreshed_at() }} as refreshed_at
from spine
left join deployed_repositories
    on spine.scope_system = deployed_repositories.source_system and spine.scope = deployed_repositories.repository
left join deployment_stats
    on spine.scope_system = deployment_stats.scope_system
    and spine.scope = deployment_stats.scope
    and spine.period_start = deployment_stats.period_start
left join change_stats
    on spine.scope_system = change_stats.scope_system
    and spine.scope = change_stats.scope
    and spine.period_start = change_stats.period_start
left join restore_stats
    on spine.scope_system = restore_stats.scope_system
    and spine.scope = restore_stats.scope
    and spine.period_start = restore_stats.period_start
{% endmacro %}
