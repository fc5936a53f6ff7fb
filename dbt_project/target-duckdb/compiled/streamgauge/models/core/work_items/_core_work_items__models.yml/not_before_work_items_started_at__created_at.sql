
    select * from "new"."core"."work_items"
    where started_at is not null and created_at is not null and started_at < created_at
