
  
  create view "new"."staging"."stg_jira__projects__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as varchar) as "id",
        cast("key" as varchar) as "key",
        cast("name" as varchar) as "name",
        cast("project_type_key" as varchar) as "project_type_key",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_jira"."projects"
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
    key as project_key,
    name as project_name,
    project_type_key,
    _dlt_load_id
from deduplicated
  );
