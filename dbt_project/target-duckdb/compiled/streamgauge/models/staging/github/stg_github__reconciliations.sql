with source as (
    
    select
        cast("repository" as varchar) as "repository",
        cast(cast("reconciled_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "reconciled_at"
    from "new"."raw_github"."reconciliations"
),

resolved as (
    select source.*, names.repository_id, names.repository as current_repository
    from source
    left join "new"."staging"."stg_github__repository_names" as names on lower(source.repository) = names.name
)

select distinct current_repository as repository, repository_id, reconciled_at from resolved