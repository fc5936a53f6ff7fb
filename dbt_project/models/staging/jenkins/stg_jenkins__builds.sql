with source as (
    {{ source_columns('jenkins', 'builds', {
        'job': 'varchar', 'number': 'bigint', 'build_class': 'varchar', 'url': 'varchar', 'result': 'varchar',
        'building': 'boolean', 'in_progress': 'boolean', 'started_at': 'utc', 'duration_ms': 'bigint',
        'estimated_duration_ms': 'bigint', 'queue_id': 'bigint', 'queuing_duration_ms': 'bigint',
        'description': 'varchar', '_dlt_id': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'job, number', '_dlt_load_id desc') }}
)

select
    job,
    number,
    job || '#' || cast(number as {{ type_varchar() }}) as build_key,
    -- the Jenkins host, e.g. ci.example.com: the instance of every Jenkins id
    split_part(split_part(split_part(url, '://', 2), '/', 1), ':', 1) as instance,
    build_class,
    url,
    result,
    coalesce(building, false) as is_building,
    -- Jenkins' `timestamp`: when the build left the queue and began
    started_at,
    duration_ms,
    queuing_duration_ms,
    queue_id,
    description,
    _dlt_id,
    _dlt_load_id
from deduplicated
