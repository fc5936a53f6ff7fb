
  
  create view "new"."staging"."stg_github__issues__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("repository" as varchar) as "repository",
        cast("number" as bigint) as "number",
        cast("title" as varchar) as "title",
        cast("body" as varchar) as "body",
        cast("state" as varchar) as "state",
        cast("state_reason" as varchar) as "state_reason",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast(cast("closed_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "closed_at",
        cast("user__login" as varchar) as "user__login",
        cast("assignee__login" as varchar) as "assignee__login",
        cast("type__name" as varchar) as "type__name",
        cast("html_url" as varchar) as "html_url",
        cast("_dlt_id" as varchar) as "_dlt_id",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."issues"
),

resolved as (
    select source.*, names.repository_id, names.repository as current_repository
    from source
    left join "new"."staging"."stg_github__repository_names" as names on lower(source.repository) = names.name
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by id order by updated_at desc, _dlt_load_id desc) as _row_rank
        from resolved
    ) as ranked
    where _row_rank = 1
)

select
    id as issue_id,
    current_repository as repository,
    repository_id,
    number as issue_number,
    title,
    body,
    state,
    state_reason,
    type__name as issue_type,
    created_at,
    updated_at,
    closed_at,
    user__login as author_login,
    assignee__login as assignee_login,
    html_url as url,
    _dlt_id,
    _dlt_load_id
from deduplicated
  );
