
    select period_start, source_system, repository, workflow, count(*) as occurrences
    from "new"."marts"."ci_health_weekly"
    group by period_start, source_system, repository, workflow
    having count(*) > 1
