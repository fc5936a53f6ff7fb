
        select * from "new"."raw_linear"."issue_history" where id is null
