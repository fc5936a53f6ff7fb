{#-
    A table made again in place on DuckDB. dbt's table materialization writes the new table under
    a temporary name, looks up its indexes, renames the old one away and the new one in, commits,
    and drops the old one in a transaction of its own: six statements beside the one that does the
    work, each with its events, for each of the tables a night makes again. Here the old relation
    (a table, or a view the model was before) is dropped and the new table written in one
    statement, inside the transaction, so readers see the old table until the commit as before.
    A contract's constraints are written with the table as before; a table other tables' foreign
    keys point at cannot be dropped, so its build fails aloud. The `indexes` config, which the
    project does not use, is refused rather than left out (DuckDB has no grants).
-#}
{% materialization table, adapter='duckdb' %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- if config.get('indexes') -%}
        {{ exceptions.raise_compiler_error(model.name ~ ': the `indexes` config is not applied by this project\'s table materialization (macros/duckdb_table.sql)') }}
    {%- endif -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {% call statement('main') -%}
        {%- if existing_relation is not none %}
        drop {{ existing_relation.type }} {{ existing_relation }};
        {%- endif %}
        {{ create_table_as(False, target_relation, sql) }}
    {%- endcall %}
    {%- if existing_relation is not none and existing_relation.is_view %}{% do adapter.cache_dropped(existing_relation) %}{% endif %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
