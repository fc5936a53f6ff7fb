with labels as (
    {{ source_columns('gitlab', 'issues__labels', {'name': 'varchar', '_dlt_parent_id': 'varchar'}) }}
),

issues as (
    select * from {{ ref('stg_gitlab__issues') }}
)

select distinct
    issues.issue_id,
    issues.project_path,
    labels.name as label_name
from labels
inner join issues on labels._dlt_parent_id = issues._dlt_id
