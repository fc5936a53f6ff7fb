
        select * from "new"."raw_github"."workflow_runs" where id is null
