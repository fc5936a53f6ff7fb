
        select * from "new"."raw_gitlab"."pipelines" where id is null
