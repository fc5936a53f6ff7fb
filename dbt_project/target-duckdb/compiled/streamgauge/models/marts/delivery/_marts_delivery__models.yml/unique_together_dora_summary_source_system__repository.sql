
    select source_system, repository, count(*) as occurrences
    from "new"."marts"."dora_summary"
    group by source_system, repository
    having count(*) > 1
