{#-
    The incremental models of the work-item chain are rebuilt per work item (delete+insert on
    work_item_id). In an incremental build, this condition on a row of int_work_items_unioned
    keeps the items whose source rows were loaded after this model was last built, and those
    with events held out until as_of reaches them (int_work_items_held_out), and the GitHub items
    whose repository's name now resolves otherwise (int_work_items_renamed): only they are
    recomputed, and every model filters its items before anything else, so a nightly build costs
    what changed. Seeds change what every row means: after editing one, build with --full-refresh.
    A table built before its model was incremental has no high-water mark: every item is
    recomputed once (delete_changed_items adds the column), so an upgrade needs no --full-refresh.
-#}
{% macro is_changed_item(load_id='_dlt_load_id') -%}
    {#- the refs outside the if, so that dbt sees the dependencies -#}
    {%- set held_out, renamed = ref('int_work_items_held_out'), ref('int_work_items_renamed') -%}
    {%- if is_incremental() and has_high_water_mark() -%}
    ({{ load_id }} > {{ newest_load() }}
        or work_item_id in (select held.work_item_id from {{ held_out }} as held)
        or work_item_id in (select renamed.work_item_id from {{ renamed }} as renamed))
    {%- else -%}
    1 = 1
    {%- endif -%}
{%- endmacro %}

{#-
    The pre-hook of every incremental model of the chain: delete+insert replaces only the items
    the new rows name, so a changed item left with fewer rows, or none (Jira labels have no
    history, so an item whose last label was removed has none), would keep what it no longer
    produces. The changed items' old rows go first. That can lower the
    model's high-water mark; the build then recomputes a few unchanged items too, never fewer.
-#}
{% macro delete_changed_items() -%}
    {%- if is_incremental() -%}
    {{ add_high_water_mark() }}
    delete from {{ this }}
    where work_item_id in (select work_item_id from {{ ref('int_work_items_unioned') }} where {{ is_changed_item() }})
    {%- endif -%}
{%- endmacro %}

{#-
    The other pre-hook of int_flow_stage_visits_summed: items deleted upstream leave it (deleted_at
    is no load of theirs).
-#}
{% macro delete_deleted_items() -%}
    {%- if is_incremental() -%}
    delete from {{ this }} where work_item_id in (select work_item_id from {{ ref('int_work_items_deleted') }})
    {%- endif -%}
{%- endmacro %}

{#-
    The pre-hook of int_label_events_unioned: the items loaded since its newest event, and those
    whose repository's name now resolves otherwise, lose their rows, which the model then
    recomputes (is_changed_item would read int_work_items_held_out, built from these events).
-#}
{% macro delete_loaded_items() -%}
    {{ add_high_water_mark() }}
    {%- if is_incremental() %}
    delete from {{ this }}
    where work_item_id in (
        select work_item_id from {{ ref('int_work_items_unioned') }}
        where _dlt_load_id > {{ newest_load() }}
        union
        select work_item_id from {{ ref('int_work_items_renamed') }}
    )
    {%- endif -%}
{%- endmacro %}

{#- The newest load the incremental model's table holds: its high-water mark ('' while it holds none). -#}
{% macro newest_load() -%}
    (select coalesce(max(_dlt_load_id), '') from {{ this }})
{%- endmacro %}

{#- A table built before its model was incremental gets the column, empty: every item is recomputed once. -#}
{% macro add_high_water_mark() -%}
    {%- if is_incremental() and not has_high_water_mark() %}alter table {{ this }} add column _dlt_load_id {{ dbt.type_string() }};{% endif %}
{%- endmacro %}

{% macro has_high_water_mark() -%}
    {{ return(has_column('_dlt_load_id')) }}
{%- endmacro %}

{#- Whether the incremental model's table has the column (one built by an older version may lack it). -#}
{% macro has_column(name) -%}
    {{ return(name in adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list) }}
{%- endmacro %}
