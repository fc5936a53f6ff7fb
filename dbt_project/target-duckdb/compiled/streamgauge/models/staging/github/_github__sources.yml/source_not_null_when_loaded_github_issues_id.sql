
        select * from "new"."raw_github"."issues" where id is null
