{{ config(schema="intermediate", materialized="table") }}  {#- a step of flow_item_metrics -#}
{#-
    Per work item with handoffs (core.work_item_handoffs): how many, and the wait after them:
    Σ over handoffs of (the first entry into an active stage after the handoff − the handoff), or
    up to completion (the item's completed_at) or the as-of time when there is none.
-#}
with handoffs as (
    select work_item_id, handoff_at, next_active_at from {{ ref('work_item_handoffs') }}
),

items as (
    select work_item_id, completed_at from {{ ref('work_items') }}
)

select
    handoffs.work_item_id,
    cast(count(*) as integer) as handoff_count,
    sum(
        {{ dbt.datediff(
            'handoffs.handoff_at', 'coalesce(handoffs.next_active_at, items.completed_at, ' ~ as_of() ~ ')', 'second'
        ) }} / 3600.0e0
    ) as handoff_wait_hours
from handoffs
inner join items on handoffs.work_item_id = items.work_item_id
group by handoffs.work_item_id
