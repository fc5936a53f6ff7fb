
    select day, team, flow_type, stage, count(*) as occurrences
    from "new"."intermediate"."int_daily_stage_counts"
    group by day, team, flow_type, stage
    having count(*) > 1
