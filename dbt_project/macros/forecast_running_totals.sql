{#-
    flow_forecast's running totals: for each row of `picks` (team_number, trial, day_ahead,
    sample_days, finished_before), the items the trial has finished by that day. A day's draw is
    the row of `samples` (team_number, sample_index, throughput) that the random index of
    (seed, team, trial, day) points to, computed as a column and joined on. Both are relations or CTE names of the caller.
-#}
{% macro forecast_running_totals(picks, samples) %}
    select
        picks.team_number,
        picks.trial,
        picks.day_ahead,
        picks.finished_before + sum(samples.throughput) over (
            partition by picks.team_number, picks.trial order by picks.day_ahead rows unbounded preceding
        ) as finished
    from (
        select drawn.*, {{ random_index_of_key('drawn.sample_days', 'drawn.random_key') }} as sample_index
        from (
            select
                picks.*,
                {{ random_key([var('forecast_seed'), 'picks.team_number', 'picks.trial', 'picks.day_ahead']) }} as random_key
            from {{ picks }} as picks
        ) as drawn
        {{ planning_fence() }}
    ) as picks
    inner join {{ samples }} as samples
        on samples.team_number = picks.team_number and samples.sample_index = picks.sample_index
{%- endmacro %}
