{{ config(materialized="table") }}  {#- three models read it: deduplicated once per build, not once per reader -#}
with source as (
    {{ source_columns('github', 'issue_events', {
        'id': 'bigint', 'repository': 'varchar', 'issue_id': 'bigint', 'issue_number': 'bigint',
        'is_pull_request': 'boolean', 'event': 'varchar', 'actor__login': 'varchar',
        'actor__type': 'varchar', 'label__name': 'varchar', 'assignee__login': 'varchar',
        'requested_reviewer__login': 'varchar', 'commit_id': 'varchar', 'created_at': 'utc',
        '_dlt_load_id': 'varchar',
    }) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
),

deduplicated as (
    {{ latest_load_row('resolved', ['id']) }}
)

select
    id as event_id,
    current_repository as repository,
    repository_id,
    issue_id,
    issue_number,
    is_pull_request,
    event as event_type,
    actor__login as actor_login,
    actor__type = 'Bot' as actor_is_bot,
    label__name as label_name,
    assignee__login as assignee_login,
    requested_reviewer__login as requested_reviewer_login,
    commit_id as commit_sha,
    created_at,
    _dlt_load_id
from deduplicated
