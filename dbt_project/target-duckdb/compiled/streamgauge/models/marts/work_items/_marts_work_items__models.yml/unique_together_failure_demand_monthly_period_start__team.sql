
    select period_start, team, count(*) as occurrences
    from "new"."marts"."failure_demand_monthly"
    group by period_start, team
    having count(*) > 1
