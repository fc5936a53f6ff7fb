
  
  create view "new"."staging"."stg_github__issue_ids__dbt_tmp" as (
    with source as (
    
    select
        cast("repository" as varchar) as "repository",
        cast("number" as bigint) as "number",
        cast(cast("reconciled_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "reconciled_at",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."issue_ids"
),

resolved as (
    select source.*, names.repository_id, names.repository as current_repository
    from source
    left join "new"."staging"."stg_github__repository_names" as names on lower(source.repository) = names.name
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by repository_id, number order by _dlt_load_id desc) as _row_rank
        from resolved
    ) as ranked
    where _row_rank = 1
)

select
    current_repository as repository,
    repository_id,
    number as issue_number,
    reconciled_at,
    _dlt_load_id
from deduplicated
  );
