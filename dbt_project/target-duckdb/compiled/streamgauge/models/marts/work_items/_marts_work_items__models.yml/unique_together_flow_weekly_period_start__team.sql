
    select period_start, team, count(*) as occurrences
    from "new"."marts"."flow_weekly"
    group by period_start, team
    having count(*) > 1
