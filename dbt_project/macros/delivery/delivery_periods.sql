{#-
    The date spine: every period start (a date) from `first_period` to `last_period` inclusive,
    as a query with one column, period_start. `grain` is day, week or month; the bounds are SQL
    expressions (scalar subqueries are fine). Portable: dbt's generate_series and dateadd.
-#}
{% macro delivery_period_series(grain, first_period, last_period) -%}
    {%- set max_periods = {'day': 7400, 'week': 1100, 'month': 260}[grain] -%}
    {%- set offset = 'cast(series.generated_number as integer) - 1' -%}
    select cast({{ dbt.dateadd(grain, offset, first_period) }} as date) as period_start
    from ({{ dbt.generate_series(max_periods) }}) as series
    where {{ dbt.dateadd(grain, offset, first_period) }} <= {{ last_period }}
{%- endmacro %}

{#-
    Whether `value` lies in a `dora_tiers` row's range, honouring its `bounds`: `[` / `]` include
    the bound, `(` / `)` exclude it, and a null bound is open.
-#}
{% macro delivery_in_tier(value, tiers) -%}
    (
        ({{ tiers }}.lower_bound is null
            or {{ value }} > {{ tiers }}.lower_bound
            or ({{ value }} = {{ tiers }}.lower_bound and {{ tiers }}.bounds like '[%'))
        and ({{ tiers }}.upper_bound is null
            or {{ value }} < {{ tiers }}.upper_bound
            or ({{ value }} = {{ tiers }}.upper_bound and {{ tiers }}.bounds like '%]'))
    )
{%- endmacro %}
