{#-
    primary_key for raw tables that exist only once their source has loaded: an unconfigured
    source has no table, and that is not a failure.
-#}
{% test primary_key_when_loaded(model, column_name) %}
    {%- if execute and load_relation(model) is none %}
        select 1 as missing_table where 1 = 0
    {%- else %}
        {{ primary_key_failures(model, [column_name]) }}
    {%- endif %}
{% endtest %}
