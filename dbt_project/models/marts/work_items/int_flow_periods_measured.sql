{{ config(schema="intermediate", materialized="table") }}  {#- a step of flow_weekly and flow_monthly -#}
{#-
    Team × period and organisation × period, for both grains (`grain`: 'week', an ISO week from
    Monday, or 'month', a calendar month, in the reporting time zone; `scope`: 'team' or
    'organisation', whose team is '(all)'): throughput, arrivals, starts, lead and cycle time
    percentiles, WIP, flow efficiency (over cycle and over lead time) and flow distribution. flow_weekly, flow_monthly and their
    _org twins each show one grain and scope. Every period from the first day to the as-of day
    has a row per team, zero throughput included; the as-of period is marked incomplete.
    Percentiles are continuous over the items completed in the period, those created done aside
    (they count in throughput and flow distribution only); flow efficiency and blocked share are
    ratios of sums, not means of ratios.
-#}
{%- set usual = [0.50, 0.85, 0.95] %}  {#- the fractions taken of each measure: one aggregate on DuckDB -#}
{%- set grains = ['week', 'month'] %}
with flow_daily as (
    select period_start as day, team, flow_type, wip, arrivals, starts, throughput, discarded
    from {{ ref('flow_daily') }}
),

flow_item_metrics as (
    select * from {{ ref('flow_item_metrics') }}
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
    {%- for grain in grains %}
    select '{{ grain }}' as grain, cast({{ dbt.date_trunc(grain, 'day') }} as date) as period_start, scoped_days.*
    from scoped_days
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

team_days as (
    select grain, scope, period_start, day, team, sum(wip) as wip
    from daily
    group by grain, scope, period_start, day, team
),

wip_by_type as (
    select grain, scope, period_start, team, flow_type, avg(cast(wip as {{ type_double() }})) as average_wip
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
    select grain, scope, period_start, team, avg(cast(wip as {{ type_double() }})) as average_wip
    from team_days
    group by grain, scope, period_start, team
),

completed as (
    {%- for grain in grains %}
    select
        '{{ grain }}' as grain,
        cast({{ dbt.date_trunc(grain, 'completed_date') }} as date) as period_start,
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
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

completed_stats as (
    select
        grain,
        scope,
        period_start,
        team,
        {{ round_double(percentile(0.50, 'lead_time_hours', usual), 6) }} as lead_time_p50_hours,
        {{ round_double(percentile(0.85, 'lead_time_hours', usual), 6) }} as lead_time_p85_hours,
        {{ round_double(percentile(0.95, 'lead_time_hours', usual), 6) }} as lead_time_p95_hours,
        {{ round_double(percentile(0.50, 'cycle_time_hours', usual), 6) }} as cycle_time_p50_hours,
        {{ round_double(percentile(0.85, 'cycle_time_hours', usual), 6) }} as cycle_time_p85_hours,
        {{ round_double(percentile(0.95, 'cycle_time_hours', usual), 6) }} as cycle_time_p95_hours,
        {{ round_double(percentile(0.50, 'cycle_time_days', usual), 6) }} as cycle_time_p50_days,
        {{ round_double(percentile(0.85, 'cycle_time_days', usual), 6) }} as cycle_time_p85_days,
        {{ round_double(percentile(0.95, 'cycle_time_days', usual), 6) }} as cycle_time_p95_days,
        sum(active_hours) / nullif(sum(cycle_time_hours), 0) as flow_efficiency,
        -- over the items that have both (a negative lead time is null): touch time over lead time
        sum(case when lead_time_hours is not null then active_hours end)
        / nullif(sum(case when active_hours is not null then lead_time_hours end), 0) as lead_flow_efficiency,
        sum(blocked_hours) / nullif(sum(cycle_time_hours), 0) as blocked_share,
        {%- for flow_type in ['feature', 'defect', 'risk', 'debt'] %}
        avg(cast(case when flow_type = '{{ flow_type }}' then 1 else 0 end as {{ type_double() }})) as {{ flow_type }}_share,
        {%- endfor %}
        cast(sum(handoff_count) as {{ type_double() }}) / count(*) as handoffs_per_completed_item,
        count(*) as completed_items
    from completed
    group by grain, scope, period_start, team
),

wip_shares as (
    select
        grain,
        scope,
        period_start,
        team
        {%- for flow_type in ['feature', 'defect', 'risk', 'debt'] %},
        sum(case when flow_type = '{{ flow_type }}' then average_wip else 0 end) / nullif(sum(average_wip), 0)
            as {{ flow_type }}_wip_share
        {%- endfor %}
    from wip_by_type
    group by grain, scope, period_start, team
)

select
    counts.grain,
    counts.scope,
    counts.period_start,
    case counts.grain
        {%- for grain in grains %}
        when '{{ grain }}' then {{ is_complete(grain, 'counts.period_start') }}
        {%- endfor %}
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
    {%- for flow_type in ['feature', 'defect', 'risk', 'debt'] %}
    completed_stats.{{ flow_type }}_share,
    wip_shares.{{ flow_type }}_wip_share,
    {%- endfor %}
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
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
