
    select work_item_id, stage, count(*) as occurrences
    from "new"."marts"."flow_stage_time"
    group by work_item_id, stage
    having count(*) > 1
