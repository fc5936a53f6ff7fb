with added as (
    
    select
        cast("name" as TEXT) as "name",
        cast("_dlt_parent_id" as TEXT) as "_dlt_parent_id"
    from "new"."raw_linear"."issue_history__added_labels"
),

removed as (
    
    select
        cast("name" as TEXT) as "name",
        cast("_dlt_parent_id" as TEXT) as "_dlt_parent_id"
    from "new"."raw_linear"."issue_history__removed_labels"
),

changes as (
    select _dlt_parent_id, name, 'add' as action from added
    union all
    select _dlt_parent_id, name, 'remove' from removed
)

select history.history_id, history.issue_id, history.changed_at, history.entry_order, history.actor_name,
    changes.action, changes.name as label_name
from changes
inner join "new"."staging"."stg_linear__issue_history" as history on changes._dlt_parent_id = history._dlt_id