
        select * from "new"."raw_linear"."teams" where id is null
