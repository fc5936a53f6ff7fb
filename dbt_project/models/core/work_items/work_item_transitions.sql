{#-
    Every status change of every work item, with the stages it left and entered. A view over the
    incrementally maintained intermediate table (the serving copy holds it as a table).
-#}
{{ config(materialized="view") }}
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
    {{ refreshed_at() }} as refreshed_at
from {{ ref('int_transitions_classified') }}
