with source as (
    
    select
        cast("project_key" as varchar) as "project_key",
        cast(cast("reconciled_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "reconciled_at"
    from "new"."raw_jira"."reconciliations"
)

select distinct project_key, reconciled_at from source