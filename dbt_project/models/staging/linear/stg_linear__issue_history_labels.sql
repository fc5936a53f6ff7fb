{#- Labels added and removed by each history entry, one row per label. -#}
with added as (
    {{ source_columns('linear', 'issue_history__added_labels', {
        'name': dbt.type_string(), '_dlt_parent_id': dbt.type_string(),
    }) }}
),

removed as (
    {{ source_columns('linear', 'issue_history__removed_labels', {
        'name': dbt.type_string(), '_dlt_parent_id': dbt.type_string(),
    }) }}
),

changes as (
    select _dlt_parent_id, name, 'add' as action from added
    union all
    select _dlt_parent_id, name, 'remove' from removed
)

select history.history_id, history.issue_id, history.changed_at, history.entry_order, history.actor_name,
    changes.action, changes.name as label_name, history._dlt_load_id
from changes
inner join {{ ref('stg_linear__issue_history') }} as history on changes._dlt_parent_id = history._dlt_id
