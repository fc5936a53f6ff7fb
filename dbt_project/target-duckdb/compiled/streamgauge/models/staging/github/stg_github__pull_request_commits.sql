with source as (
    
    select
        cast("repository" as varchar) as "repository",
        cast("pull_number" as bigint) as "pull_number",
        cast("sha" as varchar) as "sha",
        cast("author_login" as varchar) as "author_login",
        cast("author_name" as varchar) as "author_name",
        cast(cast("authored_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "authored_at",
        cast(cast("committed_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "committed_at",
        cast("parent_count" as bigint) as "parent_count",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."pull_request_commits"
),

resolved as (
    select source.*, names.repository_id, names.repository as current_repository
    from source
    left join "new"."staging"."stg_github__repository_names" as names on lower(source.repository) = names.name
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by repository_id, pull_number, sha order by _dlt_load_id desc) as _row_rank
        from resolved
    ) as ranked
    where _row_rank = 1
)

select
    current_repository as repository,
    repository_id,
    pull_number,
    sha,
    author_login,
    author_name,
    authored_at,
    committed_at,
    parent_count,
    _dlt_load_id
from deduplicated