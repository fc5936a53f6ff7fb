with source as (
    {{ source_columns('jira', 'issue_ids', {
        'project_key': 'varchar', 'id': 'varchar', 'reconciled_at': 'utc', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    project_key,
    id as issue_id,
    reconciled_at,
    _dlt_load_id
from deduplicated
