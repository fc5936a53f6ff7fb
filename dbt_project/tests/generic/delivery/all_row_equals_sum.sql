{#-
    In a mart with an '(all)' row per period beside one row per repository, every additive
    measure of the '(all)' row equals the sum of the repository rows of the same period.
-#}
{% test all_row_equals_sum(model, period_column, columns, all_value='(all)', group_column='repository') %}
    with parts as (
        select
            {{ period_column }},
            {%- for column in columns %}
            sum({{ column }}) as {{ column }}{{ "," if not loop.last }}
            {%- endfor %}
        from {{ model }}
        where {{ group_column }} <> '{{ all_value }}'
        group by {{ period_column }}
    ),

    totals as (
        select * from {{ model }} where {{ group_column }} = '{{ all_value }}'
    )

    select totals.{{ period_column }}
    from totals
    left join parts on totals.{{ period_column }} = parts.{{ period_column }}
    where
        {%- for column in columns %}
        coalesce(totals.{{ column }}, 0) <> coalesce(parts.{{ column }}, 0){{ " or" if not loop.last }}
        {%- endfor %}
{% endtest %}
