{#- The whole numbers 1..n as a one-column subquery `(select ... as n)`. DuckDB's native range is
    much faster in large cross joins than the portable power-of-two construction. -#}
{% macro integers(n) -%}
    {{ return(adapter.dispatch('integers', 'streamgauge')(n)) }}
{%- endmacro %}

{% macro default__integers(n) -%}
    select cast(generated_number as integer) as n from ({{ dbt.generate_series(n) }}) as series
{%- endmacro %}

{% macro duckdb__integers(n) -%}
    select cast(range as integer) as n from range(1, {{ n }} + 1)
{%- endmacro %}

{#- PostgreSQL's own: the planner knows it yields n rows (the portable form it estimates badly). -#}
{% macro postgres__integers(n) -%}
    select cast(n as integer) as n from generate_series(1, {{ n }}) as series(n)
{%- endmacro %}

{% macro spark__integers(n) -%}
    select cast(id as integer) as n from range(1, {{ n }} + 1)
{%- endmacro %}
