with source as (
    {{ source_columns('gitlab', 'projects', {
        'id': 'bigint', 'project_path': 'varchar', 'path_with_namespace': 'varchar',
        'default_branch': 'varchar', 'web_url': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    id as project_id,
    coalesce(project_path, path_with_namespace) as project_path,
    default_branch,
    web_url as url,
    _dlt_load_id
from deduplicated
