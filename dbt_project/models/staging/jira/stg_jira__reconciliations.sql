with source as (
    {{ source_columns('jira', 'reconciliations', {'project_key': 'varchar', 'reconciled_at': 'utc'}) }}
)

select distinct project_key, reconciled_at from source
