{#- Per work item, the pull requests that reference it: sorted, comma-separated (core.work_items.linked_pr_ids). -#}
select
    work_item_id,
    {{ dbt.listagg('pull_request_id', "', '", "order by pull_request_id") }} as linked_pr_ids
from {{ ref('int_pull_request_work_items_linked') }}
group by work_item_id
