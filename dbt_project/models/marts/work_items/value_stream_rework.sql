{#-
    The rework loops of a value stream map: team × the stage left × the stage entered, counting
    the backward moves (reopens included, `is_rework` of core.work_item_transitions) of the items
    the map describes (int_value_stream_items). Summed over a team's rows, moves equals the
    rework_count of its items.
-#}
with items as (
    select work_item_id, team from {{ ref('int_value_stream_items') }}
),

transitions as (
    select * from {{ ref('work_item_transitions') }}
    where is_rework
)

select
    items.team,
    transitions.from_stage,
    transitions.from_stage_order,
    transitions.to_stage,
    transitions.to_stage_order,
    transitions.direction = 'reopen' as is_reopen,
    cast(count(*) as integer) as moves,
    cast(count(distinct items.work_item_id) as integer) as items,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from items
inner join transitions on items.work_item_id = transitions.work_item_id
group by
    items.team,
    transitions.from_stage,
    transitions.from_stage_order,
    transitions.to_stage,
    transitions.to_stage_order,
    transitions.direction
