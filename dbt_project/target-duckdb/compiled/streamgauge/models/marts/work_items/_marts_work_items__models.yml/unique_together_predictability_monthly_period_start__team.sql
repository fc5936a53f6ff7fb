
    select period_start, team, count(*) as occurrences
    from "new"."marts"."predictability_monthly"
    group by period_start, team
    having count(*) > 1
