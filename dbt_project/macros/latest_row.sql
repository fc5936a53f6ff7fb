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

{#-
    latest_row for a large table that is materialized: the row of the newest load per `key`
    (a list of columns), found by joining on each key's newest load id. A window keeps every
    column of every row in memory at once (11M Jira changelog rows outgrew DuckDB's 3 GB), the
    join only the keys. dlt's merge leaves one row per key and load.
-#}
{% macro latest_load_row(cte, key) -%}
    select {{ cte }}.*
    from {{ cte }}
    inner join (
        select {{ key | join(', ') }}, max(_dlt_load_id) as _latest_load_id
        from {{ cte }}
        group by {{ key | join(', ') }}
    ) as latest
        on {% for column in key %}{{ cte }}.{{ column }} = latest.{{ column }} and {% endfor %}{{ cte }}._dlt_load_id = latest._latest_load_id
{%- endmacro %}

{#-
    The rows of `cte` whose `key` has a row in a load newer than the incremental model's newest
    `_dlt_load_id`: all of them, so that the model picks each key's row as a full build would.
    Every row in a full build.
-#}
{% macro rows_of_new_keys(cte, key) -%}
    select * from {{ cte }}
    {%- if is_incremental() %}
    where {{ key }} in (
        select {{ key }} from {{ cte }} where _dlt_load_id > {{ newest_load() }}
    )
    {%- endif %}
{%- endmacro %}
