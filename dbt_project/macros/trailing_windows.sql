{#-
    For each row of `weeks` (period_start, is_complete, team), one row per trailing window of
    the var `trailing_window_weeks`: the window of `window_weeks` weeks that ends with the week,
    starting on the Monday `window_start`. The trailing-percentile marts aggregate over it.
-#}
{% macro trailing_windows(weeks) -%}
    {%- for window_weeks in var('trailing_window_weeks') %}
    select
        {{ weeks }}.period_start,
        {{ weeks }}.is_complete,
        {{ weeks }}.team,
        {{ window_weeks }} as window_weeks,
        cast({{ dbt.dateadd('week', 1 - window_weeks, weeks ~ '.period_start') }} as date) as window_start
    from {{ weeks }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
