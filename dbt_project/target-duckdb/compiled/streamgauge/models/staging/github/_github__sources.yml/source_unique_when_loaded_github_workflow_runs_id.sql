
        select id, count(*) as occurrences
        from "new"."raw_github"."workflow_runs"
        where id is not null
        group by id
        having count(*) > 1
