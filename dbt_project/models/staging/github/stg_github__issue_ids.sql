with source as (
    {{ source_columns('github', 'issue_ids', {
        'repository': 'varchar', 'number': 'bigint', 'reconciled_at': 'utc', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'repository, number', '_dlt_load_id desc') }}
)

select
    repository,
    number as issue_number,
    reconciled_at,
    _dlt_load_id
from deduplicated
