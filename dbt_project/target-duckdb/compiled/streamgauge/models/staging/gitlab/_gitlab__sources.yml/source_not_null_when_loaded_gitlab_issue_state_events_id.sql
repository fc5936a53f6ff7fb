
        select * from "new"."raw_gitlab"."issue_state_events" where id is null
