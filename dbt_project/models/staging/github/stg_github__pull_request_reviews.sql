with source as (
    {{ source_columns('github', 'pull_request_reviews', {
        'id': 'bigint', 'repository': 'varchar', 'pull_number': 'bigint', 'user__login': 'varchar',
        'user__type': 'varchar', 'state': 'varchar', 'submitted_at': 'utc', 'commit_id': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
),

deduplicated as (
    {{ latest_row('resolved', 'id', '_dlt_load_id desc') }}
)

select
    id as review_id,
    current_repository as repository,
    repository_id,
    pull_number,
    user__login as reviewer_login,
    user__type = 'Bot' as reviewer_is_bot,
    upper(state) as state,
    submitted_at,
    commit_id as commit_sha,
    _dlt_load_id
from deduplicated
