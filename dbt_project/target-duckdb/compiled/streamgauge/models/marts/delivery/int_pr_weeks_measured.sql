with pull_requests as (
    select * from "new"."marts"."pr_cycle_time"
),

events as (
    select source_system, repository, cast(date_trunc('week', created_at) as date) as week_start, 'opened' as event
    from pull_requests
    union all
    select source_system, repository, cast(date_trunc('week', merged_at) as date), 'merged'
    from pull_requests where merged_at is not null
    union all
    select source_system, repository, cast(date_trunc('week', deployed_at) as date), 'deployed'
    from pull_requests where deployed_at is not null
),

scoped_events as (
    select source_system as scope_system, repository as scope, week_start, event from events
    union all
    select '(all)', '(all)', week_start, event from events
),

repository_teams as (
    select source_system, repository, min(team) as team
    from pull_requests
    group by source_system, repository
),

merged as (
    select * from pull_requests where merged_at is not null
),

scoped_merged as (
    select source_system as scope_system, repository as scope, merged.* from merged
    union all
    select '(all)', '(all)', merged.* from merged
),

scopes as (
    select scope_system, scope, min(week_start) as first_week
    from scoped_events
    group by scope_system, scope
),

bounds as (
    select
        min(first_week) as first_week,
        max(last_week) as last_week
    from (
        select week_start as first_week, week_start as last_week from scoped_events
        union all
        select cast(null as date), cast(date_trunc('week', cast('2026-11-02 00:00:00' as timestamp)) as date)
    ) as moments
),

weeks as (
    select cast(

    ((select first_week from bounds) + (cast(cast(series.generated_number as integer) - 1 as bigint) * 7) * interval 1 day) as date) as period_start
    from (
    select
        generate_series as generated_number
    from generate_series(1, 1100)
) as series
    where 

    ((select first_week from bounds) + (cast(cast(series.generated_number as integer) - 1 as bigint) * 7) * interval 1 day) <= (select last_week from bounds)
),

spine as (
    select scopes.scope_system, scopes.scope, weeks.period_start as week_start
    from scopes
    inner join weeks on weeks.period_start >= scopes.first_week
),

counts as (
    select
        scope_system,
        scope,
        week_start,
        sum(case when event = 'opened' then 1 else 0 end) as prs_opened,
        sum(case when event = 'merged' then 1 else 0 end) as prs_merged,
        sum(case when event = 'deployed' then 1 else 0 end) as prs_deployed
    from scoped_events
    group by scope_system, scope, week_start
),

phases as (
    select
        scope_system,
        scope,
        merged_week_start as week_start,
        sum(case when merged_without_review then 1 else 0 end) as prs_merged_without_review,
        sum(case when is_bot then 1 else 0 end) as bot_prs_merged,
        percentile_cont(0.5) within group (order by coding_hours) as coding_hours_p50,
        percentile_cont(0.5) within group (order by pickup_hours) as pickup_hours_p50,
        percentile_cont(0.5) within group (order by review_hours) as review_hours_p50,
        percentile_cont(0.5) within group (order by deploy_hours) as deploy_hours_p50,
        percentile_cont(0.5) within group (order by pr_cycle_hours) as pr_cycle_hours_p50,
        percentile_cont(0.85) within group (order by pr_cycle_hours) as pr_cycle_hours_p85
    from scoped_merged
    group by scope_system, scope, merged_week_start
)

select
    case when spine.scope = '(all)' then 'organisation' else 'repository' end as scope,
    spine.week_start as period_start,
    (cast(

    (spine.week_start + (cast(1 as bigint) * 7) * interval 1 day) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp)) as is_complete,
    spine.scope_system as source_system,
    spine.scope as repository,
    coalesce(repository_teams.team, spine.scope) as team,
    cast(coalesce(counts.prs_opened, 0) as integer) as prs_opened,
    cast(coalesce(counts.prs_merged, 0) as integer) as prs_merged,
    cast(coalesce(counts.prs_deployed, 0) as integer) as prs_deployed,
    cast(coalesce(phases.prs_merged_without_review, 0) as integer) as prs_merged_without_review,
    cast(phases.prs_merged_without_review as double precision) / nullif(counts.prs_merged, 0)
        as merged_without_review_rate,
    cast(coalesce(phases.bot_prs_merged, 0) as integer) as bot_prs_merged,
    phases.coding_hours_p50,
    phases.pickup_hours_p50,
    phases.review_hours_p50,
    phases.deploy_hours_p50,
    phases.pr_cycle_hours_p50,
    phases.pr_cycle_hours_p85,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from spine
left join repository_teams
    on spine.scope_system = repository_teams.source_system and spine.scope = repository_teams.repository
left join counts
    on spine.scope_system = counts.scope_system and spine.scope = counts.scope and spine.week_start = counts.week_start
left join phases
    on spine.scope_system = phases.scope_system and spine.scope = phases.scope and spine.week_start = phases.week_start