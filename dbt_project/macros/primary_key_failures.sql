{#- The key values of `model` (`key`, a list of columns) that repeat or are null in any column,
    with how many rows have them: the primary_key tests' query (tests/generic). -#}
{% macro primary_key_failures(model, key) %}
    select {{ key | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ key | join(', ') }}
    having count(*) > 1
    {%- for column in key %} or {{ column }} is null{% endfor %}
{% endmacro %}
