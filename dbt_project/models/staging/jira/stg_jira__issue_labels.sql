with labels as (
    {{ source_columns('jira', 'issues__labels', {'value': 'varchar', '_dlt_parent_id': 'varchar'}) }}
),

issues as (
    select * from {{ ref('stg_jira__issues') }}
)

select distinct
    issues.issue_id,
    issues.issue_key,
    labels.value as label_name
from labels
inner join issues on labels._dlt_parent_id = issues._dlt_id
