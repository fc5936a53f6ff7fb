with source as (
    {{ source_columns('github', 'issues', {
        'id': 'bigint', 'repository': 'varchar', 'number': 'bigint', 'title': 'varchar', 'body': 'varchar',
        'state': 'varchar', 'state_reason': 'varchar', 'created_at': 'utc', 'updated_at': 'utc',
        'closed_at': 'utc', 'user__login': 'varchar', 'assignee__login': 'varchar', 'type__name': 'varchar',
        'html_url': 'varchar', '_dlt_id': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
),

deduplicated as (
    {{ latest_row('resolved', 'id', 'updated_at desc, _dlt_load_id desc') }}
)

select
    id as issue_id,
    current_repository as repository,
    repository_id,
    number as issue_number,
    title,
    body,
    state,
    state_reason,
    type__name as issue_type,
    created_at,
    updated_at,
    closed_at,
    user__login as author_login,
    assignee__login as assignee_login,
    html_url as url,
    _dlt_id,
    _dlt_load_id
from deduplicated
