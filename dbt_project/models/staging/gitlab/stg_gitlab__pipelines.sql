with source as (
    {{ source_columns('gitlab', 'pipelines', {
        'id': 'bigint', 'iid': 'bigint', 'project_path': 'varchar', 'name': 'varchar', 'source': 'varchar',
        'ref': 'varchar', 'sha': 'varchar', 'status': 'varchar', 'created_at': 'utc', 'updated_at': 'utc',
        'started_at': 'utc', 'finished_at': 'utc', 'duration': 'bigint', 'queued_duration': 'double',
        'user__username': 'varchar', 'web_url': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', 'updated_at desc, _dlt_load_id desc') }}
)

select
    id as pipeline_id,
    project_path,
    iid as pipeline_iid,
    name as pipeline_name,
    source as event,
    ref as branch,
    sha as head_sha,
    status,
    created_at,
    updated_at,
    started_at,
    finished_at,
    duration as duration_seconds,
    queued_duration as queued_seconds,
    user__username as user_username,
    web_url as url,
    _dlt_load_id
from deduplicated
