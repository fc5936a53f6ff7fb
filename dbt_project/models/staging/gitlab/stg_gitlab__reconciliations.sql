with source as (
    {{ source_columns('gitlab', 'reconciliations', {'project_path': 'varchar', 'reconciled_at': 'utc'}) }}
)

select distinct project_path, reconciled_at from source
