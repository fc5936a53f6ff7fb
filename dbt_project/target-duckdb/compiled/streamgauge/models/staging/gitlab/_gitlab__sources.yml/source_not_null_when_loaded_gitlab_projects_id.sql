
        select * from "new"."raw_gitlab"."projects" where id is null
