with source as (
    {{ source_columns('linear', 'issues', {
        'id': dbt.type_string(), 'identifier': dbt.type_string(), 'number': dbt.type_bigint(),
        'title': dbt.type_string(), 'url': dbt.type_string(), 'branch_name': dbt.type_string(),
        'priority': dbt.type_bigint(), 'priority_label': dbt.type_string(), 'estimate': dbt.type_float(),
        'created_at': 'utc', 'updated_at': 'utc', 'started_at': 'utc', 'completed_at': 'utc',
        'canceled_at': 'utc', 'archived_at': 'utc',
        'state__id': dbt.type_string(), 'state__name': dbt.type_string(), 'state__type': dbt.type_string(),
        'team__id': dbt.type_string(), 'team__key': dbt.type_string(),
        'assignee__id': dbt.type_string(), 'assignee__name': dbt.type_string(),
        'project__name': dbt.type_string(), 'cycle__number': dbt.type_bigint(),
        '_dlt_load_id': dbt.type_string(), '_dlt_id': dbt.type_string(),
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', '_dlt_load_id desc') }}
)

select
    id as issue_id,
    -- the workspace's URL key, from https://linear.app/<workspace>/issue/…: the instance of every Linear id
    split_part(split_part(url, '://', 2), '/', 2) as instance,
    identifier,
    number as issue_number,
    title,
    url,
    branch_name,
    priority,
    priority_label,
    estimate,
    created_at,
    updated_at,
    started_at,
    completed_at,
    canceled_at,
    archived_at,
    state__id as state_id,
    state__name as state_name,
    state__type as state_type,
    team__id as team_id,
    team__key as team_key,
    assignee__id as assignee_id,
    assignee__name as assignee_name,
    project__name as project_name,
    cycle__number as cycle_number,
    _dlt_id,
    _dlt_load_id
from deduplicated
