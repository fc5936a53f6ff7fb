
        select * from "new"."raw_gitlab"."deployments" where id is null
