{#- Hours from `start` to `end` (timestamps), as a double; null when either is null or the span is negative. -#}
{% macro delivery_hours_between(start, end) -%}
    case
        when {{ end }} >= {{ start }}
            then {{ dbt.datediff(start, end, 'second') }} / 3600.0
    end
{%- endmacro %}

{#- Hours from `start` to `end` even when negative: only for data-quality checks that count them. -#}
{% macro delivery_signed_hours(start, end) -%}
    ({{ dbt.datediff(start, end, 'second') }} / 3600.0)
{%- endmacro %}
