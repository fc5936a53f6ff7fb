{#-
    A view in one statement on DuckDB. dbt's own view materialization creates the view under a
    temporary name, renames the old one away, renames the new one in and drops the old: four
    statements, and their events, for each of the 75 views a build re-creates. DuckDB replaces a
    view in place, in one transaction.
-#}
{% materialization view, adapter='duckdb' %}
    {%- set target_relation = this.incorporate(type='view') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {%- if existing_relation is not none and not existing_relation.is_view %}
        {{ adapter.drop_relation(existing_relation) }}
    {%- endif %}
    {% call statement('main') -%}
        {%- if config.get('contract').enforced %}{{ get_assert_columns_equivalent(sql) }}{% endif %}
        create or replace view {{ target_relation }} as (
            {{ sql }}
        )
    {%- endcall %}
    {% do persist_docs(target_relation, model) %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
