with pull_requests as (
    {{ source_columns('github', 'workflow_runs__pull_requests', {
        'id': 'bigint', 'number': 'bigint', '_dlt_parent_id': 'varchar',
    }) }}
),

runs as (
    {{ source_columns('github', 'workflow_runs', {'id': 'bigint', 'repository': 'varchar', '_dlt_id': 'varchar'}) }}
),

resolved_runs as (
    {{ github_repository_resolved('runs') }}
)

select distinct
    runs.id as run_id,
    runs.current_repository as repository,
    runs.repository_id,
    pull_requests.id as pull_request_id,
    pull_requests.number as pull_number
from pull_requests
inner join resolved_runs as runs on pull_requests._dlt_parent_id = runs._dlt_id
