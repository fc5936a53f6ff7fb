
    select period_start, team, size_band, count(*) as occurrences
    from "new"."marts"."pr_batch_size_monthly"
    group by period_start, team, size_band
    having count(*) > 1
