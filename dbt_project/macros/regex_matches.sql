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

{#- Every match of `pattern` in `expression` replaced (regexp_replace without 'g' replaces the first only, but on Spark all). -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'streamgauge')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- Spark's fourth argument is a position; it replaces every match anyway. -#}
{% macro spark__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}
