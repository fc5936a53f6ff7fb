with source as (
    {{ source_columns('jira', 'projects', {
        'id': 'varchar', 'key': 'varchar', 'name': 'varchar', 'project_type_key': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    id as project_id,
    key as project_key,
    name as project_name,
    project_type_key,
    _dlt_load_id
from deduplicated
