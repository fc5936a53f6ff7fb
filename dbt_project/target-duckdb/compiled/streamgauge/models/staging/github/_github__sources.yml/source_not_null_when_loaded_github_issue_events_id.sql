
        select * from "new"."raw_github"."issue_events" where id is null
