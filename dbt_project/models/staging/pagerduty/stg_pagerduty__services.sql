with source as (
    {{ source_columns('pagerduty', 'services', {
        'id': 'varchar', 'name': 'varchar', 'description': 'varchar', 'status': 'varchar', 'html_url': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    id as service_id,
    name as service_name,
    description,
    status,
    html_url as url,
    _dlt_load_id
from deduplicated
