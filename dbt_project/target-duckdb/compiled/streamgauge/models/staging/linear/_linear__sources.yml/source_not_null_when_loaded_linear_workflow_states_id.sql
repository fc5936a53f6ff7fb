
        select * from "new"."raw_linear"."workflow_states" where id is null
