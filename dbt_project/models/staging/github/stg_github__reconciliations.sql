with source as (
    {{ source_columns('github', 'reconciliations', {'repository': 'varchar', 'reconciled_at': 'utc'}) }}
),

resolved as (
    {{ github_repository_resolved('source') }}
)

select distinct current_repository as repository, repository_id, reconciled_at from resolved
