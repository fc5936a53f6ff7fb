
        select * from "new"."raw_github"."repository_names" where full_name is null
