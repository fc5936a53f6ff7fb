
    select team, question, horizon_days, item_count, confidence, count(*) as occurrences
    from "new"."marts"."flow_forecast"
    group by team, question, horizon_days, item_count, confidence
    having count(*) > 1
