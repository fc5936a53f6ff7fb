{#- No two rows share the same values of `columns` (a composite key; nulls compare as values). -#}
{% test unique_together(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#-
    A key: never null and never repeated. On a column (`data_tests: [primary_key]`) or on the
    model with its `columns`. One scan and one node where `unique` and `not_null` took two each:
    a build runs every data test as a node of its own, and dbt's cost per node, not the scan,
    is most of a small test's time.
-#}
{% test primary_key(model, column_name=none, columns=none) %}
    {%- if (column_name is none) == (columns is none) %}
        {{ exceptions.raise_compiler_error("primary_key takes either a column or `columns`: " ~ model) }}
    {%- endif %}
    {{ primary_key_failures(model, columns or [column_name]) }}
{% endtest %}
