{#-
    A detail mart (per team or repository) and its organisation-wide twin agree: for every
    period, each additive measure summed over the detail rows equals the organisation's row,
    so a BI tool that sums the detail mart gets the organisation's figure and nothing twice.
-#}
{% test sums_to_organisation(model, organisation, period_column, columns) %}
    with parts as (
        select
            {{ period_column }},
            {%- for column in columns %}
            sum({{ column }}) as {{ column }}{{ "," if not loop.last }}
            {%- endfor %}
        from {{ model }}
        group by {{ period_column }}
    )

    select coalesce(totals.{{ period_column }}, parts.{{ period_column }}) as {{ period_column }}
    from {{ organisation }} as totals
    full outer join parts on totals.{{ period_column }} = parts.{{ period_column }}
    where
        {%- for column in columns %}
        coalesce(totals.{{ column }}, 0) <> coalesce(parts.{{ column }}, 0){{ " or" if not loop.last }}
        {%- endfor %}
{% endtest %}
