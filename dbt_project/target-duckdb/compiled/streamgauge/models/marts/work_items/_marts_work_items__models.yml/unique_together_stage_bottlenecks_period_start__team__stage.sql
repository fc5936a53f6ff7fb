
    select period_start, team, stage, count(*) as occurrences
    from "new"."marts"."stage_bottlenecks"
    group by period_start, team, stage
    having count(*) > 1
