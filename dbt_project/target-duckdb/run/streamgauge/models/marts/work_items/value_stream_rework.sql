
    

    create  table
      "new"."marts"."value_stream_rework__dbt_tmp"
  
    
    as (
      with items as (
    select work_item_id, team from "new"."intermediate"."int_value_stream_items"
),

transitions as (
    select * from "new"."core"."work_item_transitions"
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
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from items
inner join transitions on items.work_item_id = transitions.work_item_id
group by
    items.team,
    transitions.from_stage,
    transitions.from_stage_order,
    transitions.to_stage,
    transitions.to_stage_order,
    transitions.direction
    );
    
  