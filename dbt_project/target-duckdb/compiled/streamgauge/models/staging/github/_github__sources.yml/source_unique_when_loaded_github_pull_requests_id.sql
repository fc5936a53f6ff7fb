
        select id, count(*) as occurrences
        from "new"."raw_github"."pull_requests"
        where id is not null
        group by id
        having count(*) > 1
