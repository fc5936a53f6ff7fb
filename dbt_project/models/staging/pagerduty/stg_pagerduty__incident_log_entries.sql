with source as (
    {{ source_columns('pagerduty', 'incident_log_entries', {
        'id': 'varchar', 'incident_id': 'varchar', 'type': 'varchar', 'created_at': 'utc', 'summary': 'varchar',
        'agent__id': 'varchar', 'agent__type': 'varchar', 'agent__summary': 'varchar', 'channel__type': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    id as log_entry_id,
    incident_id,
    -- trigger, acknowledge, resolve, assign, escalate, ...: the type without its `_log_entry` suffix
    regexp_replace(type, '_log_entry$', '') as entry_type,
    created_at,
    summary,
    agent__id as agent_id,
    agent__type as agent_type,
    agent__summary as agent_name,
    channel__type as channel,
    _dlt_load_id
from deduplicated
