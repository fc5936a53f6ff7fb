with source as (
    {{ source_columns('gitlab', 'issue_ids', {
        'project_path': 'varchar', 'iid': 'bigint', 'reconciled_at': 'utc', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'project_path, iid', '_dlt_load_id desc') }}
)

select
    project_path,
    iid as issue_iid,
    reconciled_at,
    _dlt_load_id
from deduplicated
