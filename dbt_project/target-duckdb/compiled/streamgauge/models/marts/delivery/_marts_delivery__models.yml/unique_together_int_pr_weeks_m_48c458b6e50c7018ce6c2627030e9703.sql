
    select period_start, source_system, repository, count(*) as occurrences
    from "new"."intermediate"."int_pr_weeks_measured"
    group by period_start, source_system, repository
    having count(*) > 1
