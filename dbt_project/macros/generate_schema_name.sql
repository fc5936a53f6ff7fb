{#-
    Schemas are used as named (`marts`, not `main_marts`), so analysts write marts.flow_weekly.
    On DuckDB analysts read a copy in a file of its own; on a server they read the same database,
    so dbt builds into `<target schema>_<name>` (build_marts) and the serving step swaps the
    checked tables into `marts` (orchestration/serving.py).
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ return(adapter.dispatch('build_schema_name', 'streamgauge')(custom_schema_name)) }}
{%- endmacro %}

{% macro default__build_schema_name(custom_schema_name) -%}
    {{ target.schema ~ '_' ~ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}

{% macro duckdb__build_schema_name(custom_schema_name) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
