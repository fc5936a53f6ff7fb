{#-
    One row per `key` from a CTE: the first by `order_by` (portable; no QUALIFY or DISTINCT ON).
    The key is unique by construction, so staging models test it for not_null only (dlt merges
    on the same primary keys; source tests check the raw tables' main keys).
-#}
{% macro latest_row(cte, key, order_by) -%}
    select *
    from (
        select *, row_number() over (partition by {{ key }} order by {{ order_by }}) as _row_rank
        from {{ cte }}
    ) as ranked
    where _row_rank = 1
{%- endmacro %}
