{{ config(
    materialized=incremental_or_table(),
    unique_key="event_id",
    incremental_strategy="delete+insert",
    on_schema_change="append_new_columns",
) }}
{#-
    A table, as three models read it, kept incrementally: a build deduplicates only the events with
    a row in a load newer than the table's newest, and those read under a name that resolves to
    another repository now (a rename, or a name not known before): every row of each, so that
    each event's latest row is picked as in a full build.
-#}
{#- a table built before the names as read were kept is rebuilt once -#}
{%- set per_event = is_incremental() and has_column('repository_as_read') %}
with source as (
    {{ source_columns('github', 'issue_events', {
        'id': 'bigint', 'repository': 'varchar', 'issue_id': 'bigint', 'issue_number': 'bigint',
        'is_pull_request': 'boolean', 'event': 'varchar', 'actor__login': 'varchar',
        'actor__type': 'varchar', 'label__name': 'varchar', 'assignee__login': 'varchar',
        'requested_reviewer__login': 'varchar', 'commit_id': 'varchar', 'created_at': 'utc',
        '_dlt_load_id': 'varchar',
    }) }}
),

{%- if per_event %}

names_resolved_anew as (
    select kept.name
    from (select distinct repository_as_read as name, repository_id, repository from {{ this }}) as kept
    left join {{ ref('stg_github__repository_names') }} as names on kept.name = names.name
    where kept.repository_id is distinct from names.repository_id or kept.repository is distinct from names.repository
),
{%- endif %}

new_rows as (
    select * from source
    {%- if per_event %}
    where id in (
        select id from source
        where _dlt_load_id > {{ newest_load() }} or lower(repository) in (select name from names_resolved_anew)
    )
    {%- endif %}
),

resolved as (
    {{ github_repository_resolved('new_rows') }}
),

deduplicated as (
    {{ latest_load_row('resolved', ['id']) }}
)

select
    id as event_id,
    current_repository as repository,
    repository_id,
    issue_id,
    issue_number,
    is_pull_request,
    event as event_type,
    actor__login as actor_login,
    actor__type = 'Bot' as actor_is_bot,
    label__name as label_name,
    assignee__login as assignee_login,
    requested_reviewer__login as requested_reviewer_login,
    commit_id as commit_sha,
    created_at,
    _dlt_load_id,
    lower(repository) as repository_as_read  -- last: where an upgrade adds it
from deduplicated
