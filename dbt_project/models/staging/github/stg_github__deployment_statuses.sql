with source as (
    {{ source_columns('github', 'deployment_statuses', {
        'id': 'bigint', 'repository': 'varchar', 'deployment_id': 'bigint', 'state': 'varchar',
        'environment': 'varchar', 'created_at': 'utc', 'description': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
),

deduplicated as (
    {{ latest_row('resolved', 'id', '_dlt_load_id desc') }}
)

select
    id as status_id,
    deployment_id,
    current_repository as repository,
    repository_id,
    state,
    environment,
    created_at,
    description,
    _dlt_load_id
from deduplicated
