with source as (
    {{ source_columns('linear', 'issue_history', {
        'id': dbt.type_string(), 'issue_id': dbt.type_string(), 'created_at': 'utc',
        'actor__name': dbt.type_string(),
        'from_state__name': dbt.type_string(), 'from_state__type': dbt.type_string(),
        'to_state__name': dbt.type_string(), 'to_state__type': dbt.type_string(),
        'from_assignee__id': dbt.type_string(), 'from_assignee__name': dbt.type_string(),
        'to_assignee__id': dbt.type_string(), 'to_assignee__name': dbt.type_string(),
        'from_team__key': dbt.type_string(), 'to_team__key': dbt.type_string(),
        '_dlt_load_id': dbt.type_string(), '_dlt_id': dbt.type_string(),
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    id as history_id,
    issue_id,
    created_at as changed_at,
    -- orders entries of one issue that share a moment (history ids are UUIDs)
    row_number() over (partition by issue_id order by created_at, id) as entry_order,
    actor__name as actor_name,
    from_state__name as from_state_name,
    from_state__type as from_state_type,
    to_state__name as to_state_name,
    to_state__type as to_state_type,
    from_assignee__id as from_assignee_id,
    from_assignee__name as from_assignee_name,
    to_assignee__id as to_assignee_id,
    to_assignee__name as to_assignee_name,
    from_team__key as from_team_key,
    to_team__key as to_team_key,
    _dlt_id,
    _dlt_load_id
from deduplicated
