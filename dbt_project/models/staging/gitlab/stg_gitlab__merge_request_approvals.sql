with source as (
    {{ source_columns('gitlab', 'merge_request_approvals', {
        'project_path': 'varchar', 'merge_request_iid': 'bigint', 'merge_request_id': 'bigint',
        'user_id': 'bigint', 'username': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'project_path, merge_request_iid, user_id', '_dlt_load_id desc') }}
)

select
    project_path,
    merge_request_iid,
    merge_request_id,
    user_id as approver_id,
    username as approver_username,
    _dlt_load_id
from deduplicated
