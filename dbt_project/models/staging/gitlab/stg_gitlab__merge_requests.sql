with source as (
    {{ source_columns('gitlab', 'merge_requests', {
        'id': 'bigint', 'iid': 'bigint', 'project_path': 'varchar', 'title': 'varchar',
        'description': 'varchar', 'state': 'varchar', 'draft': 'boolean', 'work_in_progress': 'boolean',
        'author__username': 'varchar', 'source_branch': 'varchar', 'target_branch': 'varchar',
        'sha': 'varchar', 'merge_commit_sha': 'varchar', 'squash_commit_sha': 'varchar', 'squash': 'boolean',
        'created_at': 'utc', 'updated_at': 'utc', 'merged_at': 'utc', 'closed_at': 'utc',
        'merge_user__username': 'varchar', 'merged_by__username': 'varchar', 'web_url': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'id', 'updated_at desc, _dlt_load_id desc') }}
)

select
    id as merge_request_id,
    project_path,
    iid as merge_request_iid,
    title,
    description,
    state,
    coalesce(draft, work_in_progress, false) as is_draft,
    author__username as author_username,
    source_branch,
    target_branch,
    sha as head_sha,
    merge_commit_sha,
    squash_commit_sha,
    coalesce(squash, false) as is_squash,
    created_at,
    updated_at,
    merged_at,
    closed_at,
    coalesce(merge_user__username, merged_by__username) as merged_by_username,
    web_url as url,
    _dlt_load_id
from deduplicated
