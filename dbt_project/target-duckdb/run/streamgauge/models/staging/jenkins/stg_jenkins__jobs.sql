
  
  create view "new"."staging"."stg_jenkins__jobs__dbt_tmp" as (
    with source as (
    
    select
        cast("full_name" as varchar) as "full_name",
        cast("name" as varchar) as "name",
        cast("job_class" as varchar) as "job_class",
        cast("parent_class" as varchar) as "parent_class",
        cast("url" as varchar) as "url",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_jenkins"."jobs"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by full_name order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    full_name as job,
    name,
    job_class,
    parent_class,
    -- a branch (or pull request) of a multibranch project: the project is the workflow
    coalesce(parent_class like '%WorkflowMultiBranchProject', false) as is_branch_job,
    url,
    _dlt_load_id
from deduplicated
  );
