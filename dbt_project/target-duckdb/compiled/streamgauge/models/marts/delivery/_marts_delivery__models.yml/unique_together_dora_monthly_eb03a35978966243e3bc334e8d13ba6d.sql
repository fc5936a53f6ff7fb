
    select period_start, source_system, repository, count(*) as occurrences
    from "new"."marts"."dora_monthly"
    group by period_start, source_system, repository
    having count(*) > 1
