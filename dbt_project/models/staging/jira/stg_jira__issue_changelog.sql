with source as (
    {{ source_columns('jira', 'issue_changelog', {
        'history_id': 'varchar', 'item_index': 'bigint', 'issue_id': 'varchar', 'issue_key': 'varchar',
        'created': 'utc', 'author_account_id': 'varchar', 'author_name': 'varchar', 'field': 'varchar',
        'field_id': 'varchar', 'field_type': 'varchar', 'from': 'varchar', 'from_string': 'varchar',
        'to': 'varchar', 'to_string': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'history_id, item_index', '_dlt_load_id desc') }}
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
