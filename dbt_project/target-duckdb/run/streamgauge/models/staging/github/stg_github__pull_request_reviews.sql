
  
  create view "new"."staging"."stg_github__pull_request_reviews__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("repository" as varchar) as "repository",
        cast("pull_number" as bigint) as "pull_number",
        cast("user__login" as varchar) as "user__login",
        cast("user__type" as varchar) as "user__type",
        cast("state" as varchar) as "state",
        cast(cast("submitted_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "submitted_at",
        cast("commit_id" as varchar) as "commit_id",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."pull_request_reviews"
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
    id as review_id,
    current_repository as repository,
    repository_id,
    pull_number,
    user__login as reviewer_login,
    user__type = 'Bot' as reviewer_is_bot,
    upper(state) as state,
    submitted_at,
    commit_id as commit_sha,
    _dlt_load_id
from deduplicated
  );
