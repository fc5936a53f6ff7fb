{#-
    flow_forecast's running totals: for each row of `picks` (team_number, trial, day_ahead,
    sample_days, finished_before), the items the trial has finished by that day. A day's draw is
    the row of `samples` (team_number, sample_index, throughput) that the random index of
    (seed, team, trial, day) points to. Both are relations or CTE names of the caller.
-#}
{% macro forecast_running_totals(picks, samples) %}
    select
        picks.team_number,
        picks.trial,
        picks.day_ahead,
        picks.finished_before + sum(samples.throughput) over (
            partition by picks.team_number, picks.trial order by picks.day_ahead rows unbounded preceding
        ) as finished
    from {{ picks }} as picks
    inner join {{ samples }} as samples
        on samples.team_number = picks.team_number
        and samples.sample_index
            = {{ random_index('picks.sample_days', [var('forecast_seed'), 'picks.team_number', 'picks.trial', 'picks.day_ahead']) }}
{%- endmacro %}
