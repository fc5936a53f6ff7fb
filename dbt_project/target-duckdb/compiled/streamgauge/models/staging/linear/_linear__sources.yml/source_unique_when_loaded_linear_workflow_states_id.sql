
        select id, count(*) as occurrences
        from "new"."raw_linear"."workflow_states"
        where id is not null
        group by id
        having count(*) > 1
