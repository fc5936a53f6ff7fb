{{ config(
    materialized=incremental_or_table(),
    unique_key="issue_id",
    incremental_strategy="delete+insert",
) }}
{#-
    A table, as eight models read it, kept incrementally: a build deduplicates only the issues with a
    row in a load newer than the table's newest (macros/latest_row.sql: rows_of_new_keys).
-#}
with source as (
    {{ source_columns('gitlab', 'issues', {
        'id': 'bigint', 'iid': 'bigint', 'project_id': 'bigint', 'project_path': 'varchar', 'title': 'varchar', 'description': 'varchar',
        'state': 'varchar',
        'issue_type': 'varchar', 'severity': 'varchar', 'created_at': 'utc', 'updated_at': 'utc',
        'closed_at': 'utc', 'author__username': 'varchar', 'assignee__username': 'varchar',
        'web_url': 'varchar', '_links__closed_as_duplicate_of': 'varchar', '_dlt_id': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

new_rows as (
    {{ rows_of_new_keys('source', 'id') }}
),

deduplicated as (
    {{ latest_row('new_rows', 'id', 'updated_at desc, _dlt_load_id desc') }}
)

select
    id as issue_id,
    -- the instance: the server's host (no port), from the issue's URL
    split_part(split_part(split_part(web_url, '://', 2), '/', 1), ':', 1) as instance,
    project_id,
    project_path,
    iid as issue_iid,
    title,
    description,
    state,
    coalesce(issue_type, 'issue') as issue_type,
    severity,
    created_at,
    updated_at,
    closed_at,
    author__username as author_username,
    assignee__username as assignee_username,
    web_url as url,
    _links__closed_as_duplicate_of as closed_as_duplicate_of,
    _dlt_id,
    _dlt_load_id
from deduplicated
