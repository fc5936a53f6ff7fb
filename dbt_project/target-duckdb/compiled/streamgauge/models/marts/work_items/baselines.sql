with baseline_windows as (
    select * from "new"."seeds"."baseline_windows"
),

team_values as (
    select * from "new"."intermediate"."int_team_measure_values"
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
        baseline_windows.ends_on
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
        and team_values.measured_on >= windows.starts_on
        and (
            (windows.kind = 'items' and team_values.measured_on <= windows.ends_on)
            or (windows.kind = 'weeks' and 

    (team_values.measured_on + cast(6 as bigint) * interval 1 day) <= windows.ends_on)
        )
    group by windows.baseline, windows.team, windows.measure, windows.quantile
)

select
    windows.baseline,
    windows.team,
    windows.measure,
    windows.unit,
    windows.starts_on,
    windows.ends_on,
    windows.ends_on < cast(cast('2026-11-02 00:00:00' as timestamp) as date) as is_complete,
    measured.value,
    windows.kind as sample_unit,
    cast(measured.sample_count as integer) as sample_count,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from windows
inner join measured
    on windows.baseline = measured.baseline and windows.team = measured.team and windows.measure = measured.measure