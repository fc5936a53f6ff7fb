{#-
    A nightly build that succeeds records it in main.last_nightly_build, and the nights after leave
    out what cannot have changed since (orchestration/nightly_selection.py). Every dbt command that
    runs models or tests (build, run, test, seed, snapshot) forgets that build: whatever it changed,
    the next night builds every node again.
-#}
{% macro forget_last_nightly_build() -%}
    {%- if target.type == 'duckdb' -%}
        drop table if exists main.last_nightly_build
    {%- endif -%}
{%- endmacro %}
