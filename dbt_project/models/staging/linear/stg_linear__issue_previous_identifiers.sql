{#- The identifiers an issue had before it moved team (GRO-3 → WEB-17 leaves GRO-3 here). -#}
with identifiers as (
    {{ source_columns('linear', 'issues__previous_identifiers', {
        'identifier': dbt.type_string(), '_dlt_parent_id': dbt.type_string(),
    }) }}
)

select issues.issue_id, identifiers.identifier
from identifiers
inner join {{ ref('stg_linear__issues') }} as issues on identifiers._dlt_parent_id = issues._dlt_id
