
    select * from "new"."core"."pull_requests"
    where deployed_at is not null and merged_at is not null and deployed_at < merged_at
