
        select * from "new"."raw_gitlab"."issue_label_events" where id is null
