
        select * from "new"."raw_github"."pull_requests" where id is null
