
        select id, count(*) as occurrences
        from "new"."raw_gitlab"."pipelines"
        where id is not null
        group by id
        having count(*) > 1
