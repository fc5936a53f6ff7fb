{{ config(
    materialized=incremental_or_table(),
    unique_key="issue_id",
    incremental_strategy="delete+insert",
) }}
{#-
    A table, as a dozen models read it, kept incrementally: a build deduplicates only the issues with a
    row in a load newer than the table's newest (macros/latest_row.sql: rows_of_new_keys).
-#}
with source as (
    {{ source_columns('jira', 'issues', {
        'id': 'varchar', 'key': 'varchar', 'project_key': 'varchar', 'summary': 'varchar',
        'issue_type': 'varchar', 'status_name': 'varchar', 'status_category_key': 'varchar',
        'created': 'utc', 'updated': 'utc', 'resolutiondate': 'utc', 'resolution_name': 'varchar',
        'priority': 'varchar', 'assignee_name': 'varchar', 'reporter_name': 'varchar', 'flagged': 'boolean',
        'url': 'varchar', '_dlt_id': 'varchar', '_dlt_load_id': 'varchar',
    }) }}
),

new_rows as (
    {{ rows_of_new_keys('source', 'id') }}
),

deduplicated as (
    {{ latest_row('new_rows', 'id', 'updated desc, _dlt_load_id desc') }}
)

select
    id as issue_id,
    key as issue_key,
    project_key,
    -- the instance: the site's host (no port), from the browse URL (https://acme.atlassian.net/browse/ABC-1)
    split_part(split_part(split_part(url, '://', 2), '/', 1), ':', 1) as instance,
    summary as title,
    issue_type,
    status_name,
    status_category_key,
    created as created_at,
    updated as updated_at,
    resolutiondate as resolved_at,
    resolution_name,
    priority,
    assignee_name,
    reporter_name,
    flagged as is_flagged,
    url,
    _dlt_id,
    _dlt_load_id
from deduplicated
