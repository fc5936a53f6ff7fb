{#- Hours from `start` to `end` (timestamps), as a double; null when either is null or the span is negative. -#}
{% macro delivery_hours_between(start, end) -%}
    case
        when {{ end }} >= {{ start }}
            then {{ dbt.datediff(start, end, 'second') }} / 3600.0e0
    end
{%- endmacro %}

