
    

    create  table
      "new"."intermediate"."int_work_item_handoffs_measured__dbt_tmp"
  
    
    as (
      with handoffs as (
    select work_item_id, handoff_at, next_active_at from "new"."core"."work_item_handoffs"
),

items as (
    select work_item_id, completed_at from "new"."core"."work_items"
)

select
    handoffs.work_item_id,
    cast(count(*) as integer) as handoff_count,
    sum(
        
        (date_diff('second', handoffs.handoff_at::timestamp, coalesce(handoffs.next_active_at, items.completed_at, cast('2026-11-02 00:00:00' as timestamp))::timestamp ))
     / 3600.0e0
    ) as handoff_wait_hours
from handoffs
inner join items on handoffs.work_item_id = items.work_item_id
group by handoffs.work_item_id
    );
    
  