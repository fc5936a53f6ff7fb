{#-
    Did it help? One row per improvement × team × measure of the seed `improvements`: the
    measure over the baseline and over the after window (int_improvement_windows), the change,
    and an `improvement_interval` (default 90%) interval for the change from a bootstrap.

    The bootstrap resamples each side's values (improvement_samples) with replacement,
    `improvement_trials` times: items for per-item measures (their percentile is recomputed),
    complete weeks for weekly ones (Σ value ÷ Σ denominator is recomputed), and takes the
    percentiles of (after − before) over the trials. Draws depend only on (seed, improvement,
    team, measure, side, trial, position), through MD5 (portable_random_index), so the same data
    gives the same interval on every run and every engine, and adding an improvement to the seed
    leaves every other row as it was. The joins run on a number per side (`series_number`).

    The verdict: 'too little data' when either side rests on fewer than `improvement_min_items`
    items (or `improvement_min_weeks` weeks); else 'improved' when the whole interval lies on the
    expected side of no change, 'worse' when it lies on the other side, 'no clear change' when it
    holds zero.
-#}
{%- set trials = var('improvement_trials') -%}
{%- set low = ((1 - var("improvement_interval")) / 2) | round(6) -%}
{%- set high = (1 - low) | round(6) -%}
{#- a measure's value over a set of rows: its percentile for per-item measures, Σ ÷ Σ for weekly ones -#}
{%- set measured -%}
    case
        when windows.quantile = 0.85 then percentile_cont(0.85) within group (order by value)
        when windows.quantile is not null then percentile_cont(0.50) within group (order by value)
        else sum(value) / nullif(sum(denominator), 0)
    end
{%- endset -%}

with windows as (
    select * from {{ ref('int_improvement_windows') }}
),

samples as (
    select * from {{ ref('improvement_samples') }}
),

series as (
    {#- each side of each row once, with a number to join on -#}
    select
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
    select n as trial from ({{ integers(trials) }}) as series
),

picks as (
    {#- each position of each side, in every trial, picks one of the side's values (computed here, not
        in the join below: DuckDB evaluates an expression join key of three relations ten times slower) -#}
    select
        numbered.series_number,
        numbered.quantile,
        trials.trial,
        {{ portable_random_index('numbered.sample_count', [
            var('improvement_seed'), 'numbered.improvement', 'numbered.team', 'numbered.measure', 'numbered.side',
            'trials.trial', 'positions.sample_index'
        ]) }} as picked_index
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
        select series_number, trial, {{ measured | replace('windows.quantile', 'quantile') }} as measured
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
        percentile_cont({{ low }}) within group (order by after_side.measured - before_side.measured) as change_low,
        percentile_cont({{ high }}) within group (order by after_side.measured - before_side.measured) as change_high
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
        {{ measured }} as measured
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
        case when windows.kind = 'weeks' then {{ var('improvement_min_weeks') }} else {{ var('improvement_min_items') }} end
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
    cast({{ var('improvement_interval') }} as {{ type_double() }}) as interval_level,
    case
        when before_count < min_count or after_count < min_count or change_low is null
            or expected_direction not in ('down', 'up') then 'too little data'
        when change_high < 0 then case when expected_direction = 'down' then 'improved' else 'worse' end
        when change_low > 0 then case when expected_direction = 'up' then 'improved' else 'worse' end
        else 'no clear change'
    end as verdict,
    overlapping_improvements,
    {{ trials }} as trials,
    {{ var('improvement_seed') }} as seed,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from compared
