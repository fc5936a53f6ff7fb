
    select source_system, repository, count(*) as occurrences
    from "new"."intermediate"."int_dora_window_tiered"
    group by source_system, repository
    having count(*) > 1
