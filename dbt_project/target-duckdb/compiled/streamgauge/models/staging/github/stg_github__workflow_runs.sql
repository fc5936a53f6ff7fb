with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("repository" as varchar) as "repository",
        cast("name" as varchar) as "name",
        cast("path" as varchar) as "path",
        cast("event" as varchar) as "event",
        cast("head_branch" as varchar) as "head_branch",
        cast("head_sha" as varchar) as "head_sha",
        cast("status" as varchar) as "status",
        cast("conclusion" as varchar) as "conclusion",
        cast("run_attempt" as bigint) as "run_attempt",
        cast("run_number" as bigint) as "run_number",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("run_started_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "run_started_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast("html_url" as varchar) as "html_url",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."workflow_runs"
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
    id as run_id,
    current_repository as repository,
    repository_id,
    name as workflow_name,
    path as workflow_path,
    event,
    head_branch as branch,
    head_sha,
    status,
    conclusion,
    run_attempt as attempt,
    run_number,
    created_at,
    run_started_at as started_at,
    -- The API has no finish time; a completed run's last update is when it finished.
    case when status = 'completed' then updated_at end as finished_at,
    html_url as url,
    _dlt_load_id
from deduplicated