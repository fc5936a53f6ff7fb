
    select * from "new"."core"."pull_requests"
    where first_approval_at is not null and first_review_at is not null and first_approval_at < first_review_at
