
    select period_start, team, stage, count(*) as occurrences
    from "new"."marts"."flow_cfd_daily"
    group by period_start, team, stage
    having count(*) > 1
