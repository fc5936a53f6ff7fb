
    select team, from_stage, to_stage, count(*) as occurrences
    from "new"."marts"."value_stream_rework"
    group by team, from_stage, to_stage
    having count(*) > 1
