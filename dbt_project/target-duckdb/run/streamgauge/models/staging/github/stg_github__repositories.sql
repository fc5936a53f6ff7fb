
  
  create view "new"."staging"."stg_github__repositories__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("full_name" as varchar) as "full_name",
        cast("default_branch" as varchar) as "default_branch",
        cast("html_url" as varchar) as "html_url",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."repositories"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by id order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    id as repository_id,
    full_name as repository,
    default_branch,
    html_url as url,
    created_at,
    _dlt_load_id
from deduplicated
  );
