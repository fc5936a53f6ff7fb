with source as (
    {{ source_columns('github', 'deployments', {
        'id': 'bigint', 'repository': 'varchar', 'environment': 'varchar',
        'production_environment': 'boolean', 'sha': 'varchar', 'ref': 'varchar', 'task': 'varchar',
        'created_at': 'utc', 'updated_at': 'utc', 'creator__login': 'varchar', 'description': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
),

deduplicated as (
    {{ latest_row('resolved', 'id', 'updated_at desc, _dlt_load_id desc') }}
)

select
    id as deployment_id,
    current_repository as repository,
    repository_id,
    environment,
    production_environment as is_production_environment,
    sha,
    ref,
    task,
    created_at,
    updated_at,
    creator__login as creator_login,
    description,
    _dlt_load_id
from deduplicated
