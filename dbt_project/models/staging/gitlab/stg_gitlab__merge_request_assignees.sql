with people as (
    {{ source_columns('gitlab', 'merge_requests__assignees', {'username': 'varchar', '_dlt_parent_id': 'varchar'}) }}
),

parents as (
    {{ source_columns('gitlab', 'merge_requests', {'id': 'bigint', 'project_path': 'varchar', '_dlt_id': 'varchar'}) }}
)

select distinct
    parents.id as merge_request_id,
    parents.project_path,
    people.username as assignee_username
from people
inner join parents on people._dlt_parent_id = parents._dlt_id
