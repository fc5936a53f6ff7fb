
    select period_start, team, flow_type, count(*) as occurrences
    from "new"."marts"."flow_daily"
    group by period_start, team, flow_type
    having count(*) > 1
