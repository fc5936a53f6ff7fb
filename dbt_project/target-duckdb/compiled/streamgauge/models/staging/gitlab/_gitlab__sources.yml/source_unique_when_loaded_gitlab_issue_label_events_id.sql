
        select id, count(*) as occurrences
        from "new"."raw_gitlab"."issue_label_events"
        where id is not null
        group by id
        having count(*) > 1
