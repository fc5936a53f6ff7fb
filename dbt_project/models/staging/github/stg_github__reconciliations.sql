with source as (
    {{ source_columns('github', 'reconciliations', {'repository': 'varchar', 'reconciled_at': 'utc'}) }}
)

select distinct repository, reconciled_at from source
