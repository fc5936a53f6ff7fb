with assignees as (
    {{ source_columns('github', 'issues__assignees', {'login': 'varchar', '_dlt_parent_id': 'varchar'}) }}
),

issues as (
    select * from {{ ref('stg_github__issues') }}
)

select distinct
    issues.issue_id,
    issues.repository,
    issues.repository_id,
    assignees.login as assignee_login
from assignees
inner join issues on assignees._dlt_parent_id = issues._dlt_id
