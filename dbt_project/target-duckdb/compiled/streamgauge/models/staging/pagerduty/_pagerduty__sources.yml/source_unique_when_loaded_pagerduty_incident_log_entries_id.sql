
        select id, count(*) as occurrences
        from "new"."raw_pagerduty"."incident_log_entries"
        where id is not null
        group by id
        having count(*) > 1
