
        select * from "new"."raw_gitlab"."merge_requests" where id is null
