
        select * from "new"."raw_github"."deployments" where id is null
