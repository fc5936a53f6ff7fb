with source as (
    {{ source_columns('jira', 'statuses', {
        'id': 'varchar', 'name': 'varchar', 'status_category_key': 'varchar', 'scope_project_id': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
)

select
    id as status_id,
    name as status_name,
    status_category_key,
    scope_project_id,
    _dlt_load_id
from source
