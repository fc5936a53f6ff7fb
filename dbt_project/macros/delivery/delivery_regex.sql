{#-
    Every match of `pattern` in `expression`, one row per match: a set-returning expression for
    a select list (`select id, {{ delivery_regex_matches('text', '#[0-9]+') }} as match from t`).
    Write patterns without capturing groups (use `(?:...)`): the whole match is returned.
-#}
{% macro delivery_regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('delivery_regex_matches', 'streamgauge')(expression, pattern)) }}
{%- endmacro %}

{% macro default__delivery_regex_matches(expression, pattern) -%}
    (regexp_matches({{ expression }}, '{{ pattern }}', 'g'))[1]
{%- endmacro %}

{% macro duckdb__delivery_regex_matches(expression, pattern) -%}
    unnest(regexp_extract_all({{ expression }}, '{{ pattern }}'))
{%- endmacro %}

{% macro spark__delivery_regex_matches(expression, pattern) -%}
    explode(regexp_extract_all({{ expression }}, '{{ pattern }}', 0))
{%- endmacro %}

{#- The first match of `pattern` in `expression` (null when none). -#}
{% macro delivery_regex_first(expression, pattern) -%}
    {{ return(adapter.dispatch('delivery_regex_first', 'streamgauge')(expression, pattern)) }}
{%- endmacro %}

{% macro default__delivery_regex_first(expression, pattern) -%}
    substring({{ expression }} from '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__delivery_regex_first(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}'), '')
{%- endmacro %}

{% macro spark__delivery_regex_first(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', 0), '')
{%- endmacro %}
