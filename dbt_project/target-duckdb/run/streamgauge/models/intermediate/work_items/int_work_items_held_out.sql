
    

    create  table
      "new"."intermediate"."int_work_items_held_out__dbt_tmp"
  
    
    as (
      with held as (
    select work_item_id, min(event_at) as held_until
    from "new"."intermediate"."int_events_after_as_of"
    group by work_item_id
)

select work_item_id, held_until from held
    );
    
  
  