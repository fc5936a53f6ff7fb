
    select improvement, team, measure, side, sample_index, count(*) as occurrences
    from "new"."marts"."improvement_samples"
    group by improvement, team, measure, side, sample_index
    having count(*) > 1
