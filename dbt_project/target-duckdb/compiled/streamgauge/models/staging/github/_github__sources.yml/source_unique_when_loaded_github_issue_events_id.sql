
        select id, count(*) as occurrences
        from "new"."raw_github"."issue_events"
        where id is not null
        group by id
        having count(*) > 1
