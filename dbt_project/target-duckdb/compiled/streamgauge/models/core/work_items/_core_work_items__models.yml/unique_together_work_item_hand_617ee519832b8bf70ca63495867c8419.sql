
    select work_item_id, handoff_at, event_order, count(*) as occurrences
    from "new"."core"."work_item_handoffs"
    group by work_item_id, handoff_at, event_order
    having count(*) > 1
