
    select team, stage, count(*) as occurrences
    from "new"."marts"."value_stream_stages"
    group by team, stage
    having count(*) > 1
