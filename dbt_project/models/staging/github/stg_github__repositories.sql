with source as (
    {{ source_columns('github', 'repositories', {
        'id': 'bigint', 'full_name': 'varchar', 'default_branch': 'varchar', 'html_url': 'varchar',
        'created_at': 'utc', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    id as repository_id,
    full_name as repository,
    default_branch,
    html_url as url,
    created_at,
    _dlt_load_id
from deduplicated
