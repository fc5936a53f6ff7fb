
        select id, count(*) as occurrences
        from "new"."raw_linear"."issue_history"
        where id is not null
        group by id
        having count(*) > 1
