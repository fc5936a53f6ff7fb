{#-
    Which pull request references which work item (the bridge behind
    pull_requests.linked_work_item_ids and work_items.linked_pr_ids), and where it said so.
-#}
with links as (
    select * from {{ ref('int_pull_request_work_items_linked') }}
),

pull_requests as (
    select pull_request_id, source_system from {{ ref('int_pull_requests_unioned') }}
)

select
    links.pull_request_id,
    links.work_item_id,
    pull_requests.source_system,
    links.reference,
    links.found_in,
    links.is_closing,
    {{ refreshed_at() }} as refreshed_at
from links
inner join pull_requests on links.pull_request_id = pull_requests.pull_request_id
