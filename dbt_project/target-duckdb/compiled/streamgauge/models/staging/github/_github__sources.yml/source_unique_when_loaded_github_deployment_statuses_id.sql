
        select id, count(*) as occurrences
        from "new"."raw_github"."deployment_statuses"
        where id is not null
        group by id
        having count(*) > 1
