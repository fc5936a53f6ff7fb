
    select baseline, team, measure, count(*) as occurrences
    from "new"."marts"."baselines"
    group by baseline, team, measure
    having count(*) > 1
