{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{{ delete_changed_items() }}",
) }}
{#-
    Each work item's status at creation and now. APIs do not record the status an item was
    created in: it is the `from` of its first transition, or, with no transition at all, the
    status it has now. A close as a duplicate is `<status>:duplicate` (see
    int_label_status_changes and int_status_transitions_unioned). Incremental per work item.
-#}
with items as (
    select * from {{ ref('int_work_items_unioned') }}
    where {{ is_changed_item() }}
),

transitions as (
    select
        *,
        row_number() over (partition by work_item_id order by transitioned_at, event_order) as first_rank,
        row_number() over (partition by work_item_id order by transitioned_at desc, event_order desc) as last_rank
    from {{ ref('int_status_transitions_unioned') }}
    where work_item_id in (select work_item_id from items)
),

status_labels_now as (
    {#- With no transition, a status label the item carries now is its status. -#}
    select labels.work_item_id, min(labels.label_name) as label_name
    from {{ ref('int_work_item_labels_unioned') }} as labels
    where {{ regex_matches('labels.label_name', var('status_label_regex')) }}
        and labels.work_item_id in (select work_item_id from items)
    group by labels.work_item_id
),

without_transitions as (
    select
        items.work_item_id,
        case
            when items.source_system = 'jira' and items.is_closed and items.state_reason = 'duplicate'
                then items.current_status_raw || ':duplicate'
            when items.source_system in ('jira', 'linear') then items.current_status_raw
            when items.is_closed and items.state_reason in ('not_planned', 'duplicate')
                then 'closed:' || items.state_reason
            when items.is_closed then 'closed'
            else coalesce(status_labels_now.label_name, case items.source_system when 'gitlab' then 'opened' else 'open' end)
        end as status_raw
    from items
    left join status_labels_now on items.work_item_id = status_labels_now.work_item_id
)

select
    items.work_item_id,
    items.source_system,
    items.project_key,
    coalesce(first_transition.from_status_raw, without_transitions.status_raw) as initial_status_raw,
    coalesce(last_transition.to_status_raw, without_transitions.status_raw) as current_status_raw,
    items._dlt_load_id
from items
inner join without_transitions on items.work_item_id = without_transitions.work_item_id
left join transitions as first_transition
    on items.work_item_id = first_transition.work_item_id and first_transition.first_rank = 1
left join transitions as last_transition
    on items.work_item_id = last_transition.work_item_id and last_transition.last_rank = 1
