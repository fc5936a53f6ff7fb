{#-
    A nightly build that succeeds records it in main.last_nightly_build, and the nights after leave
    out the nodes of sources with no raw tables (orchestration/idle_sources.py). Any dbt command
    forgets that build: whatever it changed, the next night builds every node again.
-#}
{% macro forget_last_nightly_build() -%}
    {%- if target.type == 'duckdb' -%}
        drop table if exists main.last_nightly_build
    {%- endif -%}
{%- endmacro %}
