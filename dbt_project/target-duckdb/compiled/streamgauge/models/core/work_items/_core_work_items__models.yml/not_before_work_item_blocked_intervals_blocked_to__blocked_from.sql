
    select * from "new"."core"."work_item_blocked_intervals"
    where blocked_to is not null and blocked_from is not null and blocked_to < blocked_from
