with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("repository" as varchar) as "repository",
        cast("environment" as varchar) as "environment",
        cast("production_environment" as boolean) as "production_environment",
        cast("sha" as varchar) as "sha",
        cast("ref" as varchar) as "ref",
        cast("task" as varchar) as "task",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast("creator__login" as varchar) as "creator__login",
        cast("description" as varchar) as "description",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."deployments"
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
    id as deployment_id,
    current_repository as repository,
    repository_id,
    environment,
    production_environment as is_production_environment,
    sha,
    ref,
    task,
    created_at,
    updated_at,
    creator__login as creator_login,
    description,
    _dlt_load_id
from deduplicated