{#-
    In an incremental build, the work items whose source rows were loaded after this model was
    last built: only they are recomputed (delete+insert on work_item_id). Seeds change what
    every row means: after editing one, build with --full-refresh.
-#}
{% macro changed_items_filter(items_ref) -%}
    {%- if is_incremental() -%}
    where work_item_id in (
        select work_item_id from {{ items_ref }}
        where _dlt_load_id > (select coalesce(max(built._dlt_load_id), '') from {{ this }} as built)
    )
    {%- endif -%}
{%- endmacro %}
