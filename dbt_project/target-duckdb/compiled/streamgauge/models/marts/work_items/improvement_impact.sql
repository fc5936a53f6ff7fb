with windows as (
    select * from "new"."intermediate"."int_improvement_windows"
),

samples as (
    select * from "new"."marts"."improvement_samples"
),

series as (select
        samples.improvement,
        samples.team,
        samples.measure,
        samples.side,
        windows.quantile,
        count(*) as sample_count
    from samples
    inner join windows
        on samples.improvement = windows.improvement and samples.team = windows.team and samples.measure = windows.measure
    group by samples.improvement, samples.team, samples.measure, samples.side, windows.quantile
),

numbered as (
    select series.*, row_number() over (order by improvement, team, measure, side) as series_number
    from series
),

values_numbered as (
    select numbered.series_number, samples.sample_index, samples.value, samples.denominator
    from samples
    inner join numbered
        on samples.improvement = numbered.improvement
        and samples.team = numbered.team
        and samples.measure = numbered.measure
        and samples.side = numbered.side
),

trials as (
    select n as trial from (select cast(range as integer) as n from range(1, 1000 + 1)) as series
),

picks as (select
        numbered.series_number,
        numbered.quantile,
        trials.trial,
        (cast(('0x' || substr(md5(concat_ws(':', 42, numbered.improvement, numbered.team, numbered.measure, numbered.side, trials.trial, positions.sample_index)), 1, 12)) as bigint) % numbered.sample_count) as picked_index
    from numbered
    inner join values_numbered as positions on positions.series_number = numbered.series_number
    cross join trials
),

draws as (
    select picks.series_number, picks.quantile, picks.trial, picked.value, picked.denominator
    from picks
    inner join values_numbered as picked
        on picked.series_number = picks.series_number and picked.sample_index = picks.picked_index
),

resampled as (
    select
        numbered.improvement,
        numbered.team,
        numbered.measure,
        numbered.side,
        per_trial.trial,
        per_trial.measured
    from (
        select series_number, trial, case
        when quantile = 0.85 then percentile_cont(0.85) within group (order by value)
        when quantile is not null then percentile_cont(0.50) within group (order by value)
        else sum(value) / nullif(sum(denominator), 0)
    end as measured
        from draws
        group by series_number, trial, quantile
    ) as per_trial
    inner join numbered on per_trial.series_number = numbered.series_number
),

intervals as (
    select
        after_side.improvement,
        after_side.team,
        after_side.measure,
        percentile_cont(0.05) within group (order by after_side.measured - before_side.measured) as change_low,
        percentile_cont(0.95) within group (order by after_side.measured - before_side.measured) as change_high
    from resampled as after_side
    inner join resampled as before_side
        on after_side.improvement = before_side.improvement
        and after_side.team = before_side.team
        and after_side.measure = before_side.measure
        and after_side.trial = before_side.trial
        and before_side.side = 'before'
    where after_side.side = 'after'
    group by after_side.improvement, after_side.team, after_side.measure
),

observed as (
    select
        samples.improvement,
        samples.team,
        samples.measure,
        samples.side,
        count(*) as sample_count,
        case
        when windows.quantile = 0.85 then percentile_cont(0.85) within group (order by value)
        when windows.quantile is not null then percentile_cont(0.50) within group (order by value)
        else sum(value) / nullif(sum(denominator), 0)
    end as measured
    from samples
    inner join windows
        on samples.improvement = windows.improvement and samples.team = windows.team and samples.measure = windows.measure
    group by samples.improvement, samples.team, samples.measure, samples.side, windows.quantile
),

compared as (
    select
        windows.*,
        before_side.measured as before_value,
        after_side.measured as after_value,
        after_side.measured - before_side.measured as change,
        (after_side.measured - before_side.measured) / nullif(before_side.measured, 0) as relative_change,
        intervals.change_low,
        intervals.change_high,
        cast(coalesce(before_side.sample_count, 0) as integer) as before_count,
        cast(coalesce(after_side.sample_count, 0) as integer) as after_count,
        case when windows.kind = 'weeks' then 4 else 10 end
            as min_count
    from windows
    left join observed as before_side
        on windows.improvement = before_side.improvement
        and windows.team = before_side.team
        and windows.measure = before_side.measure
        and before_side.side = 'before'
    left join observed as after_side
        on windows.improvement = after_side.improvement
        and windows.team = after_side.team
        and windows.measure = after_side.measure
        and after_side.side = 'after'
    left join intervals
        on windows.improvement = intervals.improvement
        and windows.team = intervals.team
        and windows.measure = intervals.measure
)

select
    improvement,
    team,
    improvement_team,
    changed_on,
    description,
    measure,
    unit,
    expected_direction,
    baseline_start,
    baseline_end,
    after_start,
    after_end,
    after_is_partial,
    kind as sample_unit,
    before_count,
    after_count,
    before_value,
    after_value,
    change,
    relative_change,
    change_low,
    change_high,
    cast(0.9 as double precision) as interval_level,
    case
        when before_count < min_count or after_count < min_count or change_low is null
            or expected_direction not in ('down', 'up') then 'too little data'
        when change_high < 0 then case when expected_direction = 'down' then 'improved' else 'worse' end
        when change_low > 0 then case when expected_direction = 'up' then 'improved' else 'worse' end
        else 'no clear change'
    end as verdict,
    overlapping_improvements,
    1000 as trials,
    42 as seed,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from compared