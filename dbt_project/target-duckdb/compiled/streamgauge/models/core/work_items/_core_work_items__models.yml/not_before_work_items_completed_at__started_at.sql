
    select * from "new"."core"."work_items"
    where completed_at is not null and started_at is not null and completed_at < started_at
