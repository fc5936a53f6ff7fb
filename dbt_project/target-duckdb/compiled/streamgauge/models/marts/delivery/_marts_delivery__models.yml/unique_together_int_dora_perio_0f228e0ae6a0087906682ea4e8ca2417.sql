
    select grain, period_start, source_system, repository, count(*) as occurrences
    from "new"."intermediate"."int_dora_periods_measured"
    group by grain, period_start, source_system, repository
    having count(*) > 1
