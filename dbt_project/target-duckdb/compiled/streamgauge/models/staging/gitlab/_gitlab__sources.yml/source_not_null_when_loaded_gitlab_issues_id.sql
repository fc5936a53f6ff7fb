
        select * from "new"."raw_gitlab"."issues" where id is null
