with source as (
    {{ source_columns('jenkins', 'jobs', {
        'full_name': 'varchar', 'name': 'varchar', 'job_class': 'varchar', 'parent_class': 'varchar',
        'url': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

deduplicated as (
    {{ latest_row('source', 'full_name', '_dlt_load_id desc') }}
)

select
    full_name as job,
    name,
    job_class,
    parent_class,
    -- a branch (or pull request) of a multibranch project: the project is the workflow
    coalesce(parent_class like '%WorkflowMultiBranchProject', false) as is_branch_job,
    url,
    _dlt_load_id
from deduplicated
