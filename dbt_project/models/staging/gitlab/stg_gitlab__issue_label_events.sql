with source as (
    {{ source_columns('gitlab', 'issue_label_events', {
        'id': 'bigint', 'resource_id': 'bigint', 'project_path': 'varchar', 'issue_iid': 'bigint', 'action': 'varchar',
        'label__name': 'varchar', 'created_at': 'utc', 'user__username': 'varchar', '_dlt_load_id': 'varchar',
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
    action,
    label__name as label_name,
    created_at,
    user__username as actor_username,
    _dlt_load_id
from deduplicated
-- a label deleted since has no name left: nothing to map it to
where label__name is not null
