
        select id, count(*) as occurrences
        from "new"."raw_gitlab"."projects"
        where id is not null
        group by id
        having count(*) > 1
