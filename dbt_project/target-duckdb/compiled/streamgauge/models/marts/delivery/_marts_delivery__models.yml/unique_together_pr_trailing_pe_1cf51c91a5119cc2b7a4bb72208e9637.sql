
    select period_start, team, window_weeks, count(*) as occurrences
    from "new"."marts"."pr_trailing_percentiles"
    group by period_start, team, window_weeks
    having count(*) > 1
