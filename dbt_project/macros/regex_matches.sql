{#- Case-insensitive regular-expression test, per adapter. -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'streamgauge')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    ({{ expression }} ~* '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}', 'i')
{%- endmacro %}

{#- Java's regular expressions; `(?i)` makes the whole pattern case-insensitive. -#}
{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike '(?i){{ pattern }}')
{%- endmacro %}
