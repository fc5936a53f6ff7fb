
        select * from "new"."raw_github"."deployment_statuses" where id is null
