{#-
    One row per work item from every source: who, what, and where it is in its life, and when it
    was found deleted upstream. A view over the incrementally maintained intermediate table (the
    serving copy holds it as a table).
-#}
{{ config(materialized="view") }}
select
    work_item_id,
    source_system,
    instance,
    project_key,
    team,
    item_key,
    title,
    url,
    raw_type,
    flow_type,
    labels,
    assignee,
    created_at,
    started_at,
    first_completed_at,
    completed_at,
    canceled_at,
    current_status_raw,
    current_stage,
    current_stage_category,
    is_done,
    is_canceled,
    reopen_count,
    rework_count,
    completed_in_bulk,
    linked_pr_ids,
    updated_at,
    deleted.deleted_at,
    _dlt_load_id,
    {{ refreshed_at() }} as refreshed_at
from {{ ref('int_work_items_enriched') }}
left join {{ ref('int_work_items_deleted') }} as deleted using (work_item_id)
