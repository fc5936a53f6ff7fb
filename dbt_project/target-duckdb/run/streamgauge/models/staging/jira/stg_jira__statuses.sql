
  
  create view "new"."staging"."stg_jira__statuses__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as varchar) as "id",
        cast("name" as varchar) as "name",
        cast("status_category_key" as varchar) as "status_category_key",
        cast("scope_project_id" as varchar) as "scope_project_id",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_jira"."statuses"
)

select
    id as status_id,
    name as status_name,
    status_category_key,
    scope_project_id,
    _dlt_load_id
from source
  );
