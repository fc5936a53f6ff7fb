{#-
    unique and not_null for raw tables that exist only once their source has loaded: an
    unconfigured source has no table, and that is not a failure.
-#}
{% test unique_when_loaded(model, column_name) %}
    {%- if execute and load_relation(model) is none %}
        select 1 as missing_table where 1 = 0
    {%- else %}
        select {{ column_name }}, count(*) as occurrences
        from {{ model }}
        where {{ column_name }} is not null
        group by {{ column_name }}
        having count(*) > 1
    {%- endif %}
{% endtest %}

{% test not_null_when_loaded(model, column_name) %}
    {%- if execute and load_relation(model) is none %}
        select 1 as missing_table where 1 = 0
    {%- else %}
        select * from {{ model }} where {{ column_name }} is null
    {%- endif %}
{% endtest %}
