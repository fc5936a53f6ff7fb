select
    work_item_id,
    
    string_agg(
        pull_request_id,
        ', '
        order by pull_request_id
        ) as linked_pr_ids
from "new"."intermediate"."int_pull_request_work_items_linked"
group by work_item_id