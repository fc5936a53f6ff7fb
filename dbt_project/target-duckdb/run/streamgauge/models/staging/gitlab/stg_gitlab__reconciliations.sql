
  
  create view "new"."staging"."stg_gitlab__reconciliations__dbt_tmp" as (
    with source as (
    
    select
        cast("project_path" as varchar) as "project_path",
        cast(cast("reconciled_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "reconciled_at"
    from "new"."raw_gitlab"."reconciliations"
)

select distinct project_path, reconciled_at from source
  );
