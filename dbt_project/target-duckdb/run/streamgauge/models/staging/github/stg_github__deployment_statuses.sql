
  
  create view "new"."staging"."stg_github__deployment_statuses__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("repository" as varchar) as "repository",
        cast("deployment_id" as bigint) as "deployment_id",
        cast("state" as varchar) as "state",
        cast("environment" as varchar) as "environment",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast("description" as varchar) as "description",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."deployment_statuses"
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
    id as status_id,
    deployment_id,
    current_repository as repository,
    repository_id,
    state,
    environment,
    created_at,
    description,
    _dlt_load_id
from deduplicated
  );
