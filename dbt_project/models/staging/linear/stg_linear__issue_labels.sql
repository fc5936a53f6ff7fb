{#- The labels each issue carries now, one row per label (of the issue's latest load). -#}
with labels as (
    {{ source_columns('linear', 'issues__labels', {
        'name': dbt.type_string(), '_dlt_parent_id': dbt.type_string(),
    }) }}
)

select issues.issue_id, labels.name as label_name
from labels
inner join {{ ref('stg_linear__issues') }} as issues on labels._dlt_parent_id = issues._dlt_id
