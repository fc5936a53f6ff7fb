
  
  create view "new"."staging"."stg_github__issue_events__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("repository" as varchar) as "repository",
        cast("issue_id" as bigint) as "issue_id",
        cast("issue_number" as bigint) as "issue_number",
        cast("is_pull_request" as boolean) as "is_pull_request",
        cast("event" as varchar) as "event",
        cast("actor__login" as varchar) as "actor__login",
        cast("actor__type" as varchar) as "actor__type",
        cast("label__name" as varchar) as "label__name",
        cast("assignee__login" as varchar) as "assignee__login",
        cast("requested_reviewer__login" as varchar) as "requested_reviewer__login",
        cast("commit_id" as varchar) as "commit_id",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."issue_events"
),

resolved as (
    select source.*, names.repository_id, names.repository as current_repository
    from source
    left join "new"."staging"."stg_github__repository_names" as names on lower(source.repository) = names.name
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by id order by _dlt_load_id desc) as _row_rank
        from resolved
    ) as ranked
    where _row_rank = 1
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
    _dlt_load_id
from deduplicated
  );
