with links as (
    select * from "new"."intermediate"."int_pull_request_work_items_linked"
),

pull_requests as (
    select pull_request_id, source_system from "new"."intermediate"."int_pull_requests_unioned"
)

select
    links.pull_request_id,
    links.work_item_id,
    pull_requests.source_system,
    links.reference,
    links.found_in,
    links.is_closing,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from links
inner join pull_requests on links.pull_request_id = pull_requests.pull_request_id