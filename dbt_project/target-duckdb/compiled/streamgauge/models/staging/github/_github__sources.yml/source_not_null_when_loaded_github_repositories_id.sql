
        select * from "new"."raw_github"."repositories" where id is null
