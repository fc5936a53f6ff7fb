
    select * from "new"."core"."pull_requests"
    where merged_at is not null and created_at is not null and merged_at < created_at
