with source as (
    {{ source_columns('linear', 'workflow_states', {
        'id': dbt.type_string(), 'name': dbt.type_string(), 'type': dbt.type_string(),
        'position': dbt.type_float(), 'team_key': dbt.type_string(), '_dlt_load_id': dbt.type_string(),
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select id as state_id, name as state_name, type as state_type, position, team_key, _dlt_load_id
from deduplicated
