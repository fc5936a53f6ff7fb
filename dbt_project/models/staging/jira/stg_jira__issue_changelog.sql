{#-
    A table, as six models read it, kept incrementally: a build reads only the rows of loads newer
    than the table's newest and replaces the histories they name (the newest load's row wins, as
    in a full build: load ids grow with time).
-#}
{{ config(
    materialized=incremental_or_table(),
    unique_key=["history_id", "item_index"],
    incremental_strategy="delete+insert",
) }}
with source as (
    {{ source_columns('jira', 'issue_changelog', {
        'history_id': 'varchar', 'item_index': 'bigint', 'issue_id': 'varchar', 'issue_key': 'varchar',
        'created': 'utc', 'author_account_id': 'varchar', 'author_name': 'varchar', 'field': 'varchar',
        'field_id': 'varchar', 'field_type': 'varchar', 'from': 'varchar', 'from_string': 'varchar',
        'to': 'varchar', 'to_string': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

new_rows as (
    select * from source
    {%- if is_incremental() %}
    where _dlt_load_id > {{ newest_load() }}
    {%- endif %}
),

deduplicated as (
    {{ latest_load_row('new_rows', ['history_id', 'item_index']) }}
)

select
    history_id,
    item_index,
    issue_id,
    issue_key,
    created as changed_at,
    author_account_id,
    author_name,
    field,
    field_id,
    field_type,
    {{ adapter.quote('from') }} as from_value,
    from_string,
    {{ adapter.quote('to') }} as to_value,
    to_string,
    _dlt_load_id
from deduplicated
