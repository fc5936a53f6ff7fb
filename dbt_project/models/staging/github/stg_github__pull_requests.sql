with source as (
    {{ source_columns('github', 'pull_requests', {
        'id': 'bigint', 'repository': 'varchar', 'number': 'bigint', 'title': 'varchar',
        'body': 'varchar', 'state': 'varchar', 'draft': 'boolean', 'user__login': 'varchar',
        'user__type': 'varchar', 'base__ref': 'varchar', 'head__ref': 'varchar', 'head__sha': 'varchar',
        'merge_commit_sha': 'varchar', 'created_at': 'utc', 'updated_at': 'utc', 'merged_at': 'utc',
        'closed_at': 'utc', 'additions': 'bigint', 'deletions': 'bigint', 'changed_files': 'bigint',
        'commits': 'bigint', 'html_url': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
),

deduplicated as (
    {{ latest_row('resolved', 'id', 'updated_at desc, _dlt_load_id desc') }}
)

select
    id as pull_request_id,
    current_repository as repository,
    repository_id,
    number as pull_number,
    title,
    body,
    state,
    coalesce(draft, false) as is_draft,
    user__login as author_login,
    user__type = 'Bot' as author_is_bot,
    base__ref as base_branch,
    head__ref as head_branch,
    head__sha as head_sha,
    merge_commit_sha,
    created_at,
    updated_at,
    merged_at,
    closed_at,
    additions,
    deletions,
    changed_files,
    commits as commit_count,
    html_url as url,
    _dlt_load_id
from deduplicated
