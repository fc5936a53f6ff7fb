
    select source_system, project_key, status_raw, count(*) as occurrences
    from "new"."intermediate"."int_status_stage_mapping"
    group by source_system, project_key, status_raw
    having count(*) > 1
