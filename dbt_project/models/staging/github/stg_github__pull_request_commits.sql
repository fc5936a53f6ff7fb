with source as (
    {{ source_columns('github', 'pull_request_commits', {
        'repository': 'varchar', 'pull_number': 'bigint', 'sha': 'varchar', 'author_login': 'varchar',
        'author_name': 'varchar', 'authored_at': 'utc', 'committed_at': 'utc', 'parent_count': 'bigint',
        '_dlt_load_id': 'varchar',
    }) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
),

deduplicated as (
    {{ latest_row('resolved', 'repository_id, pull_number, sha', '_dlt_load_id desc') }}
)

select
    current_repository as repository,
    repository_id,
    pull_number,
    sha,
    author_login,
    author_name,
    authored_at,
    committed_at,
    parent_count,
    _dlt_load_id
from deduplicated
