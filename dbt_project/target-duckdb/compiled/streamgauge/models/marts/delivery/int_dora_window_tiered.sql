with measured as (
    select * from "new"."intermediate"."int_dora_window_measured"
),

tiers as (
    select * from "new"."seeds"."dora_tiers"
),

tier_values as (
    select source_system, repository, 'deploy_days_per_week' as metric, deploy_days_per_week_p50 as metric_value from measured
    union all
    select source_system, repository, 'lead_time_for_changes_hours', lead_time_p50_hours from measured
    union all
    select source_system, repository, 'change_failure_rate', change_failure_rate from measured
    union all
    select source_system, repository, 'failed_deployment_recovery_hours', failed_deployment_recovery_p50_hours from measured
),

tiered as (
    select
        tier_values.source_system,
        tier_values.repository,
        tier_values.metric,
        tiers.tier,
        row_number() over (
            partition by tier_values.source_system, tier_values.repository, tier_values.metric
            order by tiers.tier_rank
        ) as tier_choice
    from tier_values
    inner join tiers
        on tiers.metric = tier_values.metric
        and (
        (tiers.lower_bound is null
            or tier_values.metric_value > tiers.lower_bound
            or (tier_values.metric_value = tiers.lower_bound and tiers.bounds like '[%'))
        and (tiers.upper_bound is null
            or tier_values.metric_value < tiers.upper_bound
            or (tier_values.metric_value = tiers.upper_bound and tiers.bounds like '%]'))
    )
),

chosen as (
    select
        source_system,
        repository,
        max(case when metric = 'deploy_days_per_week' then tier end) as deploy_frequency_tier,
        max(case when metric = 'lead_time_for_changes_hours' then tier end) as lead_time_tier,
        max(case when metric = 'change_failure_rate' then tier end) as change_failure_rate_tier,
        max(case when metric = 'failed_deployment_recovery_hours' then tier end) as recovery_tier
    from tiered
    where tier_choice = 1
    group by source_system, repository
)

select
    measured.scope,
    measured.window_start,
    measured.window_end,
    measured.source_system,
    measured.repository,
    measured.team,
    measured.weeks_observed,
    measured.deployments,
    measured.deploy_days,
    measured.deploy_days_per_week_p50,
    measured.deploy_days_per_week_mean,
    chosen.deploy_frequency_tier,
    measured.deployed_changes,
    measured.lead_time_p50_hours,
    measured.lead_time_p85_hours,
    chosen.lead_time_tier,
    measured.failed_deployments,
    measured.change_failure_rate,
    chosen.change_failure_rate_tier,
    measured.failed_deployment_recovery_p50_hours,
    chosen.recovery_tier,
    measured.incidents_resolved,
    measured.time_to_restore_p50_hours,
    measured.rework_rate,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from measured
left join chosen on measured.source_system = chosen.source_system and measured.repository = chosen.repository