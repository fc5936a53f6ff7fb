{#-
    A nightly build that succeeds records it in main.last_nightly_build, and the nights after leave
    out what cannot have changed since (orchestration/nightly_selection.py). Every dbt command that
    builds a model, seed or snapshot forgets that build: whatever it changed, the next night builds
    every node again. One that only tests (`dbt test`, the weekly `check_every_row`) changes nothing.
-#}
{% macro forget_last_nightly_build() -%}
    {%- set building = namespace(any=false) -%}
    {%- for unique_id in selected_resources if unique_id.split('.')[0] in ('model', 'seed', 'snapshot') -%}
        {%- set building.any = true -%}
    {%- endfor -%}
    {%- if target.type == 'duckdb' and building.any -%}
        drop table if exists main.last_nightly_build
    {%- endif -%}
{%- endmacro %}
