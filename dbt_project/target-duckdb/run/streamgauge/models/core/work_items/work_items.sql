
  
    
  create view "new"."core"."work_items__dbt_tmp" as (
    
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
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from "new"."intermediate"."int_work_items_enriched"
left join "new"."intermediate"."int_work_items_deleted" as deleted using (work_item_id)
  );
