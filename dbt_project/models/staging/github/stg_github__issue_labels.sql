with labels as (
    {{ source_columns('github', 'issues__labels', {'name': 'varchar', '_dlt_parent_id': 'varchar'}) }}
),

issues as (
    select * from {{ ref('stg_github__issues') }}
)

select distinct
    issues.issue_id,
    issues.repository,
    issues.repository_id,
    labels.name as label_name
from labels
inner join issues on labels._dlt_parent_id = issues._dlt_id
