
  
  create view "new"."staging"."stg_gitlab__merge_request_commits__dbt_tmp" as (
    with source as (
    
    select
        cast("project_path" as varchar) as "project_path",
        cast("merge_request_iid" as bigint) as "merge_request_iid",
        cast("sha" as varchar) as "sha",
        cast("author_name" as varchar) as "author_name",
        cast("author_email" as varchar) as "author_email",
        cast(cast("authored_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "authored_at",
        cast(cast("committed_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "committed_at",
        cast("parent_count" as bigint) as "parent_count",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."merge_request_commits"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by project_path, merge_request_iid, sha order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    project_path,
    merge_request_iid,
    sha,
    author_name,
    author_email,
    authored_at,
    committed_at,
    parent_count,
    _dlt_load_id
from deduplicated
  );
