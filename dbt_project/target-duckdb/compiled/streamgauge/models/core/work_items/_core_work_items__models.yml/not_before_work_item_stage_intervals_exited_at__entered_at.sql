
    select * from "new"."core"."work_item_stage_intervals"
    where exited_at is not null and entered_at is not null and exited_at < entered_at
