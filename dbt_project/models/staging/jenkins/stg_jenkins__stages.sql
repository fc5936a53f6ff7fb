with source as (
    {{ source_columns('jenkins', 'stages', {
        'job': 'varchar', 'number': 'bigint', 'stage_id': 'varchar', 'name': 'varchar', 'status': 'varchar',
        'started_at': 'utc', 'duration_ms': 'bigint', 'pause_duration_ms': 'bigint', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'job, number, stage_id', '_dlt_load_id desc') }}
)

select
    job || '#' || cast(number as {{ type_varchar() }}) as build_key,
    stage_id,
    name as stage_name,
    status,
    started_at,
    duration_ms,
    pause_duration_ms,
    _dlt_load_id
from deduplicated
