{#- Schemas are used as named (`marts`, not `main_marts`), so analysts write marts.flow_weekly. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
