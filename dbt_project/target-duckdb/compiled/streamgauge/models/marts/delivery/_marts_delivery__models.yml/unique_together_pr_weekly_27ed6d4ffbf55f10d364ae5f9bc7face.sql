
    select period_start, source_system, repository, count(*) as occurrences
    from "new"."marts"."pr_weekly"
    group by period_start, source_system, repository
    having count(*) > 1
