{#- No two rows share the same values of `columns` (a composite key; nulls compare as values). -#}
{% test unique_together(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
