
        select * from "new"."raw_jenkins"."jobs" where full_name is null
