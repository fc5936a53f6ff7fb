with source as (
    {{ source_columns('github', 'issue_ids', {
        'repository': 'varchar', 'number': 'bigint', 'reconciled_at': 'utc', '_dlt_load_id': 'varchar',
    }) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
),

deduplicated as (
    {{ latest_row('resolved', 'repository_id, number', '_dlt_load_id desc') }}
)

select
    current_repository as repository,
    repository_id,
    number as issue_number,
    reconciled_at,
    _dlt_load_id
from deduplicated
