
    select pull_request_id, work_item_id, count(*) as occurrences
    from "new"."core"."pull_request_work_items"
    group by pull_request_id, work_item_id
    having count(*) > 1
