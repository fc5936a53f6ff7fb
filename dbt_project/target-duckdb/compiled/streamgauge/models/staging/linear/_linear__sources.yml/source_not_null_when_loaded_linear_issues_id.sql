
        select * from "new"."raw_linear"."issues" where id is null
