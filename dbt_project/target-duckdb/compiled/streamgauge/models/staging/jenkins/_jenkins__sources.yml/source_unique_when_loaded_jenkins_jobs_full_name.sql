
        select full_name, count(*) as occurrences
        from "new"."raw_jenkins"."jobs"
        where full_name is not null
        group by full_name
        having count(*) > 1
