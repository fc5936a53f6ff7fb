with source as (
    {{ source_columns('gitlab', 'issue_state_events', {
        'id': 'bigint', 'resource_id': 'bigint', 'project_path': 'varchar', 'issue_iid': 'bigint', 'state': 'varchar',
        'created_at': 'utc', 'user__username': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    id as event_id,
    resource_id as issue_id,
    project_path,
    issue_iid,
    state,
    created_at,
    user__username as actor_username,
    _dlt_load_id
from deduplicated
