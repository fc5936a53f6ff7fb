with people as (
    {{ source_columns('gitlab', 'issues__assignees', {'username': 'varchar', '_dlt_parent_id': 'varchar'}) }}
),

parents as (
    {{ source_columns('gitlab', 'issues', {'id': 'bigint', 'project_path': 'varchar', '_dlt_id': 'varchar'}) }}
)

select distinct
    parents.id as issue_id,
    parents.project_path,
    people.username as assignee_username
from people
inner join parents on people._dlt_parent_id = parents._dlt_id
