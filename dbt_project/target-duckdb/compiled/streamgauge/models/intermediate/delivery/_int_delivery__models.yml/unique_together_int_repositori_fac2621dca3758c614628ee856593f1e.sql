
    select source_system, repository, count(*) as occurrences
    from "new"."intermediate"."int_repositories_unioned"
    group by source_system, repository
    having count(*) > 1
