
    

    create  table
      "new"."intermediate"."int_flow_periods_measured__dbt_tmp"
  
    
    as (
      
with flow_daily as (
    select period_start as day, team, flow_type, wip, arrivals, starts, throughput, discarded
    from "new"."marts"."flow_daily"
),

flow_item_metrics as (
    select * from "new"."marts"."flow_item_metrics"
    where state = 'done'
),

-- every day and every completed item once for its team and once for the organisation
scoped_days as (
    select 'team' as scope, flow_daily.* from flow_daily
    union all
    select 'organisation', day, '(all)', flow_type, wip, arrivals, starts, throughput, discarded from flow_daily
),

scoped_items as (
    select 'team' as scope, team as scope_team, flow_item_metrics.* from flow_item_metrics
    union all
    select 'organisation', '(all)', flow_item_metrics.* from flow_item_metrics
),

-- and once per grain, in the period of that grain it belongs to
daily as (
    select 'week' as grain, cast(date_trunc('week', day) as date) as period_start, scoped_days.*
    from scoped_days
    union all
    select 'month' as grain, cast(date_trunc('month', day) as date) as period_start, scoped_days.*
    from scoped_days
),

team_days as (
    select grain, scope, period_start, day, team, sum(wip) as wip
    from daily
    group by grain, scope, period_start, day, team
),

wip_by_type as (
    select grain, scope, period_start, team, flow_type, avg(cast(wip as double precision)) as average_wip
    from (
        select grain, scope, period_start, day, team, flow_type, sum(wip) as wip
        from daily group by grain, scope, period_start, day, team, flow_type
    ) as typed
    group by grain, scope, period_start, team, flow_type
),

counts as (
    select
        grain,
        scope,
        period_start,
        team,
        min(day) as first_day,
        max(day) as last_day,
        sum(arrivals) as arrivals,
        sum(starts) as starts,
        sum(throughput) as throughput,
        sum(discarded) as discarded
    from daily
    group by grain, scope, period_start, team
),

wip as (
    select grain, scope, period_start, team, avg(cast(wip as double precision)) as average_wip
    from team_days
    group by grain, scope, period_start, team
),

completed as (
    select
        'week' as grain,
        cast(date_trunc('week', completed_date) as date) as period_start,
        scope,
        scope_team as team,
        flow_type,
        -- an item created done counts as completed, but is no sample of how long work takes
        case when created_done then null else lead_time_hours end as lead_time_hours,
        case when created_done then null else cycle_time_hours end as cycle_time_hours,
        case when created_done then null else cycle_time_days end as cycle_time_days,
        case when created_done then null else active_hours end as active_hours,
        case when created_done then null else blocked_hours end as blocked_hours,
        handoff_count
    from scoped_items
    union all
    select
        'month' as grain,
        cast(date_trunc('month', completed_date) as date) as period_start,
        scope,
        scope_team as team,
        flow_type,
        -- an item created done counts as completed, but is no sample of how long work takes
        case when created_done then null else lead_time_hours end as lead_time_hours,
        case when created_done then null else cycle_time_hours end as cycle_time_hours,
        case when created_done then null else cycle_time_days end as cycle_time_days,
        case when created_done then null else active_hours end as active_hours,
        case when created_done then null else blocked_hours end as blocked_hours,
        handoff_count
    from scoped_items
),

completed_stats as (
    select
        grain,
        scope,
        period_start,
        team,
        round(percentile_cont(0.50) within group (order by lead_time_hours), 6) as lead_time_p50_hours,
        round(percentile_cont(0.85) within group (order by lead_time_hours), 6) as lead_time_p85_hours,
        round(percentile_cont(0.95) within group (order by lead_time_hours), 6) as lead_time_p95_hours,
        round(percentile_cont(0.50) within group (order by cycle_time_hours), 6) as cycle_time_p50_hours,
        round(percentile_cont(0.85) within group (order by cycle_time_hours), 6) as cycle_time_p85_hours,
        round(percentile_cont(0.95) within group (order by cycle_time_hours), 6) as cycle_time_p95_hours,
        round(percentile_cont(0.50) within group (order by cycle_time_days), 6) as cycle_time_p50_days,
        round(percentile_cont(0.85) within group (order by cycle_time_days), 6) as cycle_time_p85_days,
        round(percentile_cont(0.95) within group (order by cycle_time_days), 6) as cycle_time_p95_days,
        sum(active_hours) / nullif(sum(cycle_time_hours), 0) as flow_efficiency,
        -- over the items that have both (a negative lead time is null): touch time over lead time
        sum(case when lead_time_hours is not null then active_hours end)
        / nullif(sum(case when active_hours is not null then lead_time_hours end), 0) as lead_flow_efficiency,
        sum(blocked_hours) / nullif(sum(cycle_time_hours), 0) as blocked_share,
        avg(cast(case when flow_type = 'feature' then 1 else 0 end as double precision)) as feature_share,
        avg(cast(case when flow_type = 'defect' then 1 else 0 end as double precision)) as defect_share,
        avg(cast(case when flow_type = 'risk' then 1 else 0 end as double precision)) as risk_share,
        avg(cast(case when flow_type = 'debt' then 1 else 0 end as double precision)) as debt_share,
        cast(sum(handoff_count) as double precision) / count(*) as handoffs_per_completed_item,
        count(*) as completed_items
    from completed
    group by grain, scope, period_start, team
),

wip_shares as (
    select
        grain,
        scope,
        period_start,
        team,
        sum(case when flow_type = 'feature' then average_wip else 0 end) / nullif(sum(average_wip), 0)
            as feature_wip_share,
        sum(case when flow_type = 'defect' then average_wip else 0 end) / nullif(sum(average_wip), 0)
            as defect_wip_share,
        sum(case when flow_type = 'risk' then average_wip else 0 end) / nullif(sum(average_wip), 0)
            as risk_wip_share,
        sum(case when flow_type = 'debt' then average_wip else 0 end) / nullif(sum(average_wip), 0)
            as debt_wip_share
    from wip_by_type
    group by grain, scope, period_start, team
)

select
    counts.grain,
    counts.scope,
    counts.period_start,
    case counts.grain
        when 'week' then (cast(

    (counts.period_start + (cast(1 as bigint) * 7) * interval 1 day) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp))
        when 'month' then (cast(

    (counts.period_start + cast(1 as bigint) * interval 1 month) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp))
    end as is_complete,
    counts.first_day,
    counts.last_day,
    counts.team,
    cast(counts.throughput as integer) as throughput,
    cast(counts.arrivals as integer) as arrivals,
    cast(counts.starts as integer) as starts,
    cast(counts.discarded as integer) as discarded,
    wip.average_wip,
    completed_stats.lead_time_p50_hours,
    completed_stats.lead_time_p85_hours,
    completed_stats.lead_time_p95_hours,
    completed_stats.cycle_time_p50_hours,
    completed_stats.cycle_time_p85_hours,
    completed_stats.cycle_time_p95_hours,
    completed_stats.cycle_time_p50_days,
    completed_stats.cycle_time_p85_days,
    completed_stats.cycle_time_p95_days,
    completed_stats.flow_efficiency,
    completed_stats.lead_flow_efficiency,
    completed_stats.blocked_share,
    completed_stats.handoffs_per_completed_item,
    completed_stats.feature_share,
    wip_shares.feature_wip_share,
    completed_stats.defect_share,
    wip_shares.defect_wip_share,
    completed_stats.risk_share,
    wip_shares.risk_wip_share,
    completed_stats.debt_share,
    wip_shares.debt_wip_share,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from counts
inner join wip
    on counts.grain = wip.grain
    and counts.scope = wip.scope
    and counts.period_start = wip.period_start
    and counts.team = wip.team
left join completed_stats
    on counts.grain = completed_stats.grain
    and counts.scope = completed_stats.scope
    and counts.period_start = completed_stats.period_start
    and counts.team = completed_stats.team
left join wip_shares
    on counts.grain = wip_shares.grain
    and counts.scope = wip_shares.scope
    and counts.period_start = wip_shares.period_start
    and counts.team = wip_shares.team
    );
    
  