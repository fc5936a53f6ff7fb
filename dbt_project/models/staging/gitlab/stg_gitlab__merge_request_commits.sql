with source as (
    {{ source_columns('gitlab', 'merge_request_commits', {
        'project_path': 'varchar', 'merge_request_iid': 'bigint', 'sha': 'varchar', 'author_name': 'varchar',
        'author_email': 'varchar', 'authored_at': 'utc', 'committed_at': 'utc', 'parent_count': 'bigint',
        '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'project_path, merge_request_iid, sha', '_dlt_load_id desc') }}
)

select
    project_path,
    merge_request_iid,
    sha,
    author_name,
    author_email,
    authored_at,
    committed_at,
    parent_count,
    _dlt_load_id
from deduplicated
