{#-
    Monte Carlo forecasts per team. Each trial draws daily throughputs, with replacement, from
    the team's last `forecast_window_days` complete days (zero days included, ending the day
    before the as-of day), with a fixed seed so the same data gives the same forecast.
    - question 'how_many', horizon_days H: items finished in the next H days. The 50/85/95% answers are the 50th,
      15th and 5th percentiles of the trial totals: an 85% chance of at least that many.
    - question 'when', item_count N: days until N more items are finished: the 50th, 85th and 95th percentiles of the
      days the trials needed (null when trials need more than `forecast_max_days`).
    Every trial is simulated up to the longest horizon; then in stages, each ending at twice the
    day the last one ended (up to `forecast_max_days`), and only the trials that have not yet
    finished the largest count go on to the next stage. A busy team's trials all stop early, and a
    slow team's trial stops at the end of the stage in which it gets there, not at the last day.
    The draws depend only on (seed, team, trial, day), so this gives the same answers as
    simulating every trial to the end.
-#}
{%- set trials = var('forecast_trials') -%}
{%- set max_days = var('forecast_max_days') -%}
{%- set horizons = var('forecast_horizons_days') -%}
{%- set counts = var('forecast_item_counts') -%}
{%- set first_days = horizons | max | int -%}
{%- set longest = [max_days | int, first_days] | max -%}
{%- if first_days < 1 -%}
    {{ exceptions.raise_compiler_error("forecast_horizons_days needs a horizon of at least one day") }}
{%- endif -%}
{#- where each stage ends: the longest horizon, then twice the day the last one ended, up to the
    longest (64 doublings outlast any horizon) -#}
{%- set stage_ends = [first_days] -%}
{%- for _ in [none] * 64 -%}
    {%- if stage_ends[-1] < longest -%}{%- do stage_ends.append([stage_ends[-1] * 2, longest] | min) -%}{%- endif -%}
{%- endfor -%}

with team_days as (
    select team, period_start as day, sum(throughput) as throughput
    from {{ ref('flow_daily') }}
    where period_start < {{ reporting_date(as_of()) }}
        and period_start >= {{ dbt.dateadd('day', -1 * var('forecast_window_days'), reporting_date(as_of())) }}
    group by team, period_start
),

teams as (
    select
        team,
        dense_rank() over (order by team) as team_number,
        count(*) as sample_days,
        min(day) as window_start,
        max(day) as window_end
    from team_days
    group by team
),

samples as (
    select
        teams.team_number,
        team_days.throughput,
        row_number() over (partition by team_days.team order by team_days.day) - 1 as sample_index
    from team_days
    inner join teams on team_days.team = teams.team
),

trials as (
    select n as trial from ({{ integers(trials) }}) as series
),

first_picks as (
    {#- every trial, up to the longest horizon -#}
    select
        teams.team_number,
        trials.trial,
        teams.sample_days,
        days_ahead.n as day_ahead,
        0 as finished_before
    from teams
    cross join trials
    cross join ({{ integers(first_days) }}) as days_ahead
),

first_draws as (
    {{ forecast_running_totals('first_picks', 'samples') }}
),

{%- for stage_end in stage_ends[1:] %}
{%- set stage_start = stage_ends[loop.index0] %}
{%- set before = 'first_draws' if loop.first else 'draws_to_' ~ stage_start %}

picks_to_{{ stage_end }} as (
    {#- the trials that have not finished the largest count yet, on to this stage's last day -#}
    select
        before.team_number,
        before.trial,
        teams.sample_days,
        cast({{ stage_start }} + days_ahead.n as integer) as day_ahead,
        before.finished as finished_before
    from {{ before }} as before
    inner join teams on before.team_number = teams.team_number
    cross join ({{ integers(stage_end - stage_start) }}) as days_ahead
    where before.day_ahead = {{ stage_start }} and before.finished < {{ counts | max }}
),

draws_to_{{ stage_end }} as (
    {{ forecast_running_totals('picks_to_' ~ stage_end, 'samples') }}
),
{%- endfor %}

draws as (
    select * from first_draws
    {%- for stage_end in stage_ends[1:] %}
    union all
    select * from draws_to_{{ stage_end }}
    {%- endfor %}
),

per_trial as (
    {#- one pass over the draws: each trial's total at each horizon and the day it reached each count -#}
    select
        team_number,
        trial
        {%- for horizon in horizons %},
        max(case when day_ahead = {{ horizon }} then finished end) as how_many_{{ horizon }}d
        {%- endfor %}
        {%- for count in counts %},
        min(case when finished >= {{ count }} then day_ahead end) as when_{{ count }}
        {%- endfor %}
    from draws
    group by team_number, trial
),

answers as (
    {%- for horizon in horizons %}
    select
        team_number,
        'how_many' as question,
        {{ horizon }} as horizon_days,
        cast(null as integer) as item_count,
        'items' as unit,
        percentile_cont(0.50) within group (order by how_many_{{ horizon }}d) as p50,
        percentile_cont(0.15) within group (order by how_many_{{ horizon }}d) as p85,
        percentile_cont(0.05) within group (order by how_many_{{ horizon }}d) as p95,
        0.0 as unreached_share
    from per_trial
    group by team_number
    union all
    {%- endfor %}
    {%- for count in counts %}
    select
        team_number,
        'when' as question,
        cast(null as integer) as horizon_days,
        {{ count }} as item_count,
        'days' as unit,
        -- a trial that never got there within forecast_max_days counts as longer than all others
        percentile_cont(0.50) within group (order by coalesce(when_{{ count }}, {{ longest + 1 }})) as p50,
        percentile_cont(0.85) within group (order by coalesce(when_{{ count }}, {{ longest + 1 }})) as p85,
        percentile_cont(0.95) within group (order by coalesce(when_{{ count }}, {{ longest + 1 }})) as p95,
        avg(cast(case when when_{{ count }} is null then 1 else 0 end as {{ type_double() }})) as unreached_share
    from per_trial
    group by team_number
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

confidences as (
    select 50 as confidence union all select 85 union all select 95
),

chosen as (
    select
        answers.*,
        confidences.confidence,
        case confidences.confidence when 50 then answers.p50 when 85 then answers.p85 else answers.p95 end as value
    from answers
    cross join confidences
)

select
    teams.team,
    chosen.question,
    cast(chosen.horizon_days as integer) as horizon_days,
    cast(chosen.item_count as integer) as item_count,
    chosen.confidence,
    -- beyond the simulated days the answer is unknown, not the cap
    case when chosen.unit = 'days' and chosen.value > {{ longest }} then null else chosen.value end as value,
    chosen.unit,
    teams.window_start as sample_window_start,
    teams.window_end as sample_window_end,
    cast(teams.sample_days as integer) as sample_days,
    {{ trials }} as trials,
    {{ var('forecast_seed') }} as seed,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from chosen
inner join teams on chosen.team_number = teams.team_number
