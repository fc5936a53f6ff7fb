with source as (
    {{ source_columns('gitlab', 'deployments', {
        'id': 'bigint', 'iid': 'bigint', 'project_path': 'varchar', 'environment__name': 'varchar',
        'environment__tier': 'varchar', 'ref': 'varchar', 'sha': 'varchar', 'status': 'varchar',
        'created_at': 'utc', 'updated_at': 'utc', 'finished_at': 'utc', 'deployable__pipeline_id': 'bigint',
        'deployable__status': 'varchar', 'deployable__started_at': 'utc', 'deployable__finished_at': 'utc',
        'user__username': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', 'updated_at desc, _dlt_load_id desc') }}
)

select
    id as deployment_id,
    project_path,
    iid as deployment_iid,
    environment__name as environment,
    environment__tier as environment_tier,
    ref,
    sha,
    status,
    created_at,
    updated_at,
    finished_at,
    deployable__pipeline_id as pipeline_id,
    deployable__status as job_status,
    deployable__started_at as job_started_at,
    deployable__finished_at as job_finished_at,
    user__username as user_username,
    _dlt_load_id
from deduplicated
