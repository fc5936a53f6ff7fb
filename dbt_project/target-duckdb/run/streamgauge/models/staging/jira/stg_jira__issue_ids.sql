
  
  create view "new"."staging"."stg_jira__issue_ids__dbt_tmp" as (
    with source as (
    
    select
        cast("project_key" as varchar) as "project_key",
        cast("id" as varchar) as "id",
        cast(cast("reconciled_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "reconciled_at",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_jira"."issue_ids"
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
    project_key,
    id as issue_id,
    reconciled_at,
    _dlt_load_id
from deduplicated
  );
