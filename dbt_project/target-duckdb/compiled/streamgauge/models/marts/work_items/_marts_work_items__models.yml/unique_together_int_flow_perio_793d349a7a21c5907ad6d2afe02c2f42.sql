
    select grain, scope, period_start, team, count(*) as occurrences
    from "new"."intermediate"."int_flow_periods_measured"
    group by grain, scope, period_start, team
    having count(*) > 1
