
        select * from "new"."raw_github"."pull_request_reviews" where id is null
