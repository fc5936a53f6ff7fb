with source as (
    {{ source_columns('pagerduty', 'incidents', {
        'id': 'varchar', 'incident_number': 'bigint', 'title': 'varchar', 'description': 'varchar',
        'status': 'varchar', 'urgency': 'varchar', 'priority__summary': 'varchar',
        'service__id': 'varchar', 'service__summary': 'varchar', 'escalation_policy__summary': 'varchar',
        'created_at': 'utc', 'updated_at': 'utc', 'resolved_at': 'utc', 'last_status_change_at': 'utc',
        'html_url': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    id as incident_id,
    -- the account's host, e.g. acme.pagerduty.com: the instance of every PagerDuty id
    split_part(split_part(split_part(html_url, '://', 2), '/', 1), ':', 1) as instance,
    incident_number,
    title,
    description,
    status,
    urgency,
    priority__summary as priority,
    service__id as service_id,
    service__summary as service_name,
    escalation_policy__summary as escalation_policy,
    created_at,
    updated_at,
    resolved_at,
    last_status_change_at,
    html_url as url,
    _dlt_load_id
from deduplicated
