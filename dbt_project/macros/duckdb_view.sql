{#-
    A view in one statement on DuckDB. dbt's own view materialization creates the view under a
    temporary name, renames the old one away, renames the new one in and drops the old: four
    statements, and their events, for each of the views a build re-creates. DuckDB replaces a
    view in place; a table left at the view's name is dropped in the same transaction. (DuckDB has
    no grants, so none are applied.)
-#}
{% materialization view, adapter='duckdb' %}
    {%- set target_relation = this.incorporate(type='view') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set replaced_table = existing_relation if existing_relation is not none and not existing_relation.is_view -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {% call statement('main') -%}
        {%- if config.get('contract').enforced %}{{ get_assert_columns_equivalent(sql) }}{% endif %}
        {%- if replaced_table %}
        drop table {{ replaced_table }};
        {%- endif %}
        {{ sql_header if sql_header is not none }}
        create or replace view {{ target_relation }} as (
            {{ sql }}
        )
    {%- endcall %}
    {%- if replaced_table %}{% do adapter.cache_dropped(replaced_table) %}{% endif %}
    {% do persist_docs(target_relation, model) %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
