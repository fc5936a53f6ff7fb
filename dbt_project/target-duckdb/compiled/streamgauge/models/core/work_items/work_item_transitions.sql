
select
    transition_id,
    work_item_id,
    source_system,
    cast(transition_number as integer) as transition_number,
    transitioned_at,
    actor,
    from_status_raw,
    to_status_raw,
    from_stage,
    to_stage,
    from_stage_order,
    to_stage_order,
    from_stage_category,
    to_stage_category,
    direction,
    is_rework,
    is_bulk,
    source_event_id,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from "new"."intermediate"."int_transitions_classified"