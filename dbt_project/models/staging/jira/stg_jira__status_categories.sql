with source as (
    {{ source_columns('jira', 'status_categories', {
        'id': 'varchar', 'key': 'varchar', 'name': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
)

select
    id as status_category_id,
    key as status_category_key,
    name as status_category_name,
    _dlt_load_id
from source
