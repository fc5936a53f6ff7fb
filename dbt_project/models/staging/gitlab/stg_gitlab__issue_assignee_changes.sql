with source as (
    {{ source_columns('gitlab', 'issue_assignee_changes', {
        'note_id': 'bigint', 'action': 'varchar', 'username': 'varchar', 'position': 'bigint',
        'project_path': 'varchar', 'issue_iid': 'bigint', 'issue_id': 'bigint', 'created_at': 'utc', 'author__username': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'note_id, action, username', '_dlt_load_id desc') }}
)

select
    note_id,
    position,
    issue_id,
    project_path,
    issue_iid,
    action,
    username,
    created_at as changed_at,
    author__username as actor_username,
    _dlt_load_id
from deduplicated
