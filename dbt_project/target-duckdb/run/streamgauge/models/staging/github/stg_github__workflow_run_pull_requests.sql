
  
  create view "new"."staging"."stg_github__workflow_run_pull_requests__dbt_tmp" as (
    with pull_requests as (
    
    select
        cast("id" as bigint) as "id",
        cast("number" as bigint) as "number",
        cast("_dlt_parent_id" as varchar) as "_dlt_parent_id"
    from "new"."raw_github"."workflow_runs__pull_requests"
),

runs as (
    
    select
        cast("id" as bigint) as "id",
        cast("repository" as varchar) as "repository",
        cast("_dlt_id" as varchar) as "_dlt_id"
    from "new"."raw_github"."workflow_runs"
),

resolved_runs as (
    select runs.*, names.repository_id, names.repository as current_repository
    from runs
    left join "new"."staging"."stg_github__repository_names" as names on lower(runs.repository) = names.name
)

select distinct
    runs.id as run_id,
    runs.current_repository as repository,
    runs.repository_id,
    pull_requests.id as pull_request_id,
    pull_requests.number as pull_number
from pull_requests
inner join resolved_runs as runs on pull_requests._dlt_parent_id = runs._dlt_id
  );
