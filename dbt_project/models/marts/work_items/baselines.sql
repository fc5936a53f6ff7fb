{#-
    Each team's headline measures over the named windows of the seed `baseline_windows` (team `*`
    means every team), so "against our Q1 baseline" is one query. The measures are those of
    improvement_impact, computed the same way: per-item percentiles over the items completed (or
    pull requests merged) from starts_on to ends_on, both included; weekly measures as
    Σ value ÷ Σ denominator over the complete weeks lying wholly inside.
-#}
with baseline_windows as (
    select * from {{ ref('baseline_windows') }}
),

team_values as (
    select * from {{ ref('int_team_measure_values') }}
),

measures as (
    select distinct team, measure, kind, quantile, unit from team_values
),

windows as (
    select
        baseline_windows.baseline,
        measures.team,
        measures.measure,
        measures.kind,
        measures.quantile,
        measures.unit,
        baseline_windows.starts_on,
        baseline_windows.ends_on,
        -- the last day a sample may be measured on: a week counts when it ends inside the window
        case
            when measures.kind = 'weeks' then cast({{ dbt.dateadd('day', -6, 'baseline_windows.ends_on') }} as date)
            else baseline_windows.ends_on
        end as last_measured_on
    from baseline_windows
    inner join measures on baseline_windows.team = measures.team or baseline_windows.team = '*'
),

measured as (
    select
        windows.baseline,
        windows.team,
        windows.measure,
        count(team_values.measured_on) as sample_count,
        case
            when windows.quantile = 0.85 then percentile_cont(0.85) within group (order by team_values.value)
            when windows.quantile is not null then percentile_cont(0.50) within group (order by team_values.value)
            else sum(team_values.value) / nullif(sum(team_values.denominator), 0)
        end as value
    from windows
    left join team_values
        on team_values.team = windows.team
        and team_values.measure = windows.measure
        -- one range, not an `or` of two: DuckDB compared every pair of rows for the `or` (2.1 of 2.4 CPU s at 1M items)
        and team_values.measured_on between windows.starts_on and windows.last_measured_on
    group by windows.baseline, windows.team, windows.measure, windows.quantile
)

select
    windows.baseline,
    windows.team,
    windows.measure,
    windows.unit,
    windows.starts_on,
    windows.ends_on,
    windows.ends_on < {{ reporting_date(as_of()) }} as is_complete,
    measured.value,
    windows.kind as sample_unit,
    cast(measured.sample_count as integer) as sample_count,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from windows
inner join measured
    on windows.baseline = measured.baseline and windows.team = measured.team and windows.measure = measured.measure
