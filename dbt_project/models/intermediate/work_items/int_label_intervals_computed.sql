{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{{ delete_changed_items() }}",
) }}
{#-
    When each label was on each GitHub or GitLab work item: [added_at, removed_at).
    Repeated adds or removes without a change in between are ignored; a label removed before
    any add was seen was there from creation; a label on the item with no event at all was
    there from creation and still is. Incremental per work item (macros/changed_items.sql).
-#}
with items as (
    select work_item_id, created_at, _dlt_load_id from {{ ref('int_work_items_unioned') }}
    where {{ is_changed_item() }}
),

events as (
    select * from {{ ref('int_label_events_unioned') }}
    where event_type in ('label_added', 'label_removed')
        and work_item_id in (select work_item_id from items)
        and event_at <= {{ as_of() }}  -- later ones are held out (int_events_after_as_of)
),

current_labels as (
    select * from {{ ref('int_work_item_labels_unioned') }}
    where work_item_id in (select work_item_id from items)
),

ordered as (
    {#-
        One sort per (item, label): the type of the event before, and when the label was next
        removed. An add right after an add (or a remove after a remove) changes nothing; a kept
        add lasts until the next remove, which is the next change.
    -#}
    select
        *,
        lag(event_type) over by_label as previous_type,
        min(case when event_type = 'label_removed' then event_at end) over (
            partition by work_item_id, label_name order by event_at, event_order
            rows between 1 following and unbounded following
        ) as next_removed_at
    from events
    window by_label as (partition by work_item_id, label_name order by event_at, event_order)
),

changes as (
    select * from ordered
    where previous_type is null or previous_type <> event_type
),

from_events as (
    select work_item_id, label_name, event_at as added_at, next_removed_at as removed_at
    from changes
    where event_type = 'label_added'

    union all

    select changes.work_item_id, changes.label_name, items.created_at as added_at, changes.event_at as removed_at
    from changes
    inner join items on changes.work_item_id = items.work_item_id
    where changes.event_type = 'label_removed' and changes.previous_type is null
),

without_events as (
    select current_labels.work_item_id, current_labels.label_name, items.created_at as added_at,
        cast(null as timestamp) as removed_at
    from current_labels
    inner join items on current_labels.work_item_id = items.work_item_id
    where not exists (
        select 1 from events
        where events.work_item_id = current_labels.work_item_id and events.label_name = current_labels.label_name
    )
)

select labels.*, items._dlt_load_id
from (
    select * from from_events
    union all
    select * from without_events
) as labels
inner join items on labels.work_item_id = items.work_item_id
