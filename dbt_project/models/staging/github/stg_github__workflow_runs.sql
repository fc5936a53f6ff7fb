with source as (
    {{ source_columns('github', 'workflow_runs', {
        'id': 'bigint', 'repository': 'varchar', 'name': 'varchar', 'path': 'varchar', 'event': 'varchar',
        'head_branch': 'varchar', 'head_sha': 'varchar', 'status': 'varchar', 'conclusion': 'varchar',
        'run_attempt': 'bigint', 'run_number': 'bigint', 'created_at': 'utc', 'run_started_at': 'utc',
        'updated_at': 'utc', 'html_url': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
),

deduplicated as (
    {{ latest_row('resolved', 'id', 'updated_at desc, _dlt_load_id desc') }}
)

select
    id as run_id,
    current_repository as repository,
    repository_id,
    name as workflow_name,
    path as workflow_path,
    event,
    head_branch as branch,
    head_sha,
    status,
    conclusion,
    run_attempt as attempt,
    run_number,
    created_at,
    run_started_at as started_at,
    -- The API has no finish time; a completed run's last update is when it finished.
    case when status = 'completed' then updated_at end as finished_at,
    html_url as url,
    _dlt_load_id
from deduplicated
