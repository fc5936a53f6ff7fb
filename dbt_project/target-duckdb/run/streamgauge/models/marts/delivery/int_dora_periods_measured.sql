
    

    create  table
      "new"."intermediate"."int_dora_periods_measured__dbt_tmp"
  
    
    as (
      with deployments as (
    select * from "new"."core"."deployments"
    where is_production and is_successful
),

pull_requests as (
    select * from "new"."core"."pull_requests"
    where deployed_at is not null
),

incidents as (
    select
        coalesce(attributed.source_system, own.source_system, incidents.source_system) as source_system,
        coalesce(attributed.repository, incidents.repository) as repository,
        incidents.resolved_at,
        incidents.time_to_restore_hours
    from "new"."core"."incidents" as incidents
    left join "new"."core"."deployments" as attributed on incidents.caused_by_deployment_id = attributed.deployment_id
    -- an incident tool's incident (PagerDuty) counts for the repository its service runs, in that repository's system
    left join (select distinct source_system, repository from deployments) as own
        on incidents.repository = own.repository and incidents.source_system not in ('github', 'gitlab')
    where incidents.resolved_at is not null
),

window_bounds as (
    select
        cast(

    (cast(date_trunc('week', cast('2026-11-02 00:00:00' as timestamp)) as date) + (cast(-12 as bigint) * 7) * interval 1 day) as date)
            as window_start,
        cast(date_trunc('week', cast('2026-11-02 00:00:00' as timestamp)) as date) as window_end
),

deployed_repositories as (
    select source_system, repository, min(service) as team
    from deployments
    group by source_system, repository
),

-- one stream of events: what each measure needs, null where it does not apply
events as (
    select
        'deployment' as event,
        source_system,
        repository,
        finished_at as completed_at,
        cast(finished_at as date) as deploy_day,
        is_failed,
        is_rework,
        recovery_hours,
        cast(null as double precision) as lead_time_hours,
        cast(null as double precision) as merge_to_deploy_hours,
        cast(null as double precision) as time_to_restore_hours
    from deployments

    union all

    select
        'change',
        source_system,
        repository,
        deployed_at,
        null,
        null,
        null,
        null,
        case
        when deployed_at >= change_started_at
            then 
        (date_diff('second', change_started_at::timestamp, deployed_at::timestamp ))
     / 3600.0e0
    end,
        case
        when deployed_at >= merged_at
            then 
        (date_diff('second', merged_at::timestamp, deployed_at::timestamp ))
     / 3600.0e0
    end,
        null
    from pull_requests

    union all

    select
        'restore',
        source_system,
        repository,
        resolved_at,
        null,
        null,
        null,
        null,
        null,
        null,
        time_to_restore_hours
    from incidents
),

-- every event in its week, its month, and the window if its week lies in it
dated_events as (
    select 'week' as grain, cast(date_trunc('week', completed_at) as date) as period_start, events.*
    from events
    union all
    select 'month', cast(date_trunc('month', completed_at) as date), events.*
    from events
    union all
    select 'window', window_bounds.window_start, events.*
    from events
    inner join window_bounds
        on cast(date_trunc('week', events.completed_at) as date) >= window_bounds.window_start
        and cast(date_trunc('week', events.completed_at) as date) < window_bounds.window_end
),

-- and for its repository and for '(all)'
scoped_events as (
    select dated_events.source_system as scope_system, dated_events.repository as scope, dated_events.*
    from dated_events
    where dated_events.event <> 'restore'
        or exists (
            select 1 from deployed_repositories
            where deployed_repositories.source_system = dated_events.source_system
                and deployed_repositories.repository = dated_events.repository
        )
    union all
    select '(all)', '(all)', dated_events.* from dated_events
),

-- a repository is in the marts from its first deployment or restore, at every grain
scopes as (
    select grain, scope_system, scope, min(period_start) as first_period
    from scoped_events
    where event <> 'change' and grain <> 'window'
    group by grain, scope_system, scope
),

bounds as (
    select grain, min(first_period) as first_period, max(last_period) as last_period
    from (
        select grain, first_period, first_period as last_period from scopes
        union all
        select grain, period_start, period_start from scoped_events where event <> 'change' and grain <> 'window'
        union all
        select 'week', cast(null as date), cast(date_trunc('week', cast('2026-11-02 00:00:00' as timestamp)) as date)
        union all
        select 'month', cast(null as date), cast(date_trunc('month', cast('2026-11-02 00:00:00' as timestamp)) as date)
    ) as moments
    group by grain
),

periods as (
    select 'week' as grain, period_start
    from (
        select cast(

    ((select first_period from bounds where grain = 'week') + (cast(cast(series.generated_number as integer) - 1 as bigint) * 7) * interval 1 day) as date) as period_start
    from (
    select
        generate_series as generated_number
    from generate_series(1, 1100)
) as series
    where 

    ((select first_period from bounds where grain = 'week') + (cast(cast(series.generated_number as integer) - 1 as bigint) * 7) * interval 1 day) <= (select last_period from bounds where grain = 'week')
    ) as weeks
    union all
    select 'month' as grain, period_start
    from (
        select cast(

    ((select first_period from bounds where grain = 'month') + cast(cast(series.generated_number as integer) - 1 as bigint) * interval 1 month) as date) as period_start
    from (
    select
        generate_series as generated_number
    from generate_series(1, 260)
) as series
    where 

    ((select first_period from bounds where grain = 'month') + cast(cast(series.generated_number as integer) - 1 as bigint) * interval 1 month) <= (select last_period from bounds where grain = 'month')
    ) as months
    union all
    select 'window', window_start from window_bounds
),

spine as (
    select scopes.grain, scopes.scope_system, scopes.scope, periods.period_start
    from scopes
    inner join periods on periods.grain = scopes.grain and periods.period_start >= scopes.first_period
    union all
    -- the window has a row for every repository, whenever it began
    select 'window', scopes.scope_system, scopes.scope, window_bounds.window_start
    from scopes
    cross join window_bounds
    where scopes.grain = 'week'
),

measured as (
    select
        grain,
        scope_system,
        scope,
        period_start,
        sum(case when event = 'deployment' then 1 else 0 end) as deployments,
        count(distinct deploy_day) as deploy_days,
        sum(case when is_failed then 1 else 0 end) as failed_deployments,
        sum(case when is_rework then 1 else 0 end) as rework_deployments,
        count(recovery_hours) as recovered_deployments,
        percentile_cont(0.5) within group (order by recovery_hours) as failed_deployment_recovery_p50_hours,
        sum(case when event = 'change' then 1 else 0 end) as deployed_changes,
        percentile_cont(0.5) within group (order by lead_time_hours) as lead_time_p50_hours,
        percentile_cont(0.85) within group (order by lead_time_hours) as lead_time_p85_hours,
        percentile_cont(0.5) within group (order by merge_to_deploy_hours) as merge_to_deploy_p50_hours,
        sum(case when event = 'restore' then 1 else 0 end) as incidents_resolved,
        percentile_cont(0.5) within group (order by time_to_restore_hours) as time_to_restore_p50_hours
    from scoped_events
    group by grain, scope_system, scope, period_start
)

select
    spine.grain,
    case when spine.scope = '(all)' then 'organisation' else 'repository' end as scope,
    spine.period_start,
    case spine.grain
        when 'week' then (cast(

    (spine.period_start + (cast(1 as bigint) * 7) * interval 1 day) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp))
        when 'month' then (cast(

    (spine.period_start + cast(1 as bigint) * interval 1 month) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp))
        else true  -- the window holds complete weeks only
    end as is_complete,
    spine.scope_system as source_system,
    spine.scope as repository,
    coalesce(deployed_repositories.team, spine.scope) as team,
    cast(coalesce(measured.deployments, 0) as integer) as deployments,
    cast(coalesce(measured.deploy_days, 0) as integer) as deploy_days,
    cast(coalesce(measured.failed_deployments, 0) as integer) as failed_deployments,
    cast(measured.failed_deployments as double precision) / nullif(measured.deployments, 0) as change_failure_rate,
    cast(coalesce(measured.rework_deployments, 0) as integer) as rework_deployments,
    cast(measured.rework_deployments as double precision) / nullif(measured.deployments, 0) as rework_rate,
    cast(coalesce(measured.deployed_changes, 0) as integer) as deployed_changes,
    measured.lead_time_p50_hours,
    measured.lead_time_p85_hours,
    measured.merge_to_deploy_p50_hours,
    cast(coalesce(measured.recovered_deployments, 0) as integer) as recovered_deployments,
    measured.failed_deployment_recovery_p50_hours,
    cast(coalesce(measured.incidents_resolved, 0) as integer) as incidents_resolved,
    measured.time_to_restore_p50_hours,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from spine
left join deployed_repositories
    on spine.scope_system = deployed_repositories.source_system and spine.scope = deployed_repositories.repository
left join measured
    on spine.grain = measured.grain
    and spine.scope_system = measured.scope_system
    and spine.scope = measured.scope
    and spine.period_start = measured.period_start
    );
    
  