with source as (
    {{ source_columns('gitlab', 'merge_request_notes', {
        'id': 'bigint', 'project_path': 'varchar', 'merge_request_iid': 'bigint', 'merge_request_id': 'bigint',
        'author__username': 'varchar', 'review_action': 'varchar', 'type': 'varchar', 'system': 'boolean',
        'created_at': 'utc', 'updated_at': 'utc', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', 'updated_at desc, _dlt_load_id desc') }}
)

select
    id as note_id,
    project_path,
    merge_request_iid,
    merge_request_id,
    author__username as author_username,
    review_action,
    type as note_type,
    coalesce(system, false) as is_system,
    created_at,
    updated_at,
    _dlt_load_id
from deduplicated
