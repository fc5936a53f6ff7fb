
  
  create view "new"."staging"."stg_gitlab__projects__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("project_path" as varchar) as "project_path",
        cast("path_with_namespace" as varchar) as "path_with_namespace",
        cast("default_branch" as varchar) as "default_branch",
        cast("web_url" as varchar) as "web_url",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."projects"
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
    id as project_id,
    coalesce(project_path, path_with_namespace) as project_path,
    default_branch,
    web_url as url,
    _dlt_load_id
from deduplicated
  );
