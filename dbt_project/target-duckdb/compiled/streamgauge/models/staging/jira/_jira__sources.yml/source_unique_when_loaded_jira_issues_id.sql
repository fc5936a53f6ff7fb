
        select id, count(*) as occurrences
        from "new"."raw_jira"."issues"
        where id is not null
        group by id
        having count(*) > 1
