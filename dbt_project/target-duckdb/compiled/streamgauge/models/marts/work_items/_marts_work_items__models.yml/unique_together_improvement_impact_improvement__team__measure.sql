
    select improvement, team, measure, count(*) as occurrences
    from "new"."marts"."improvement_impact"
    group by improvement, team, measure
    having count(*) > 1
