{#- When each work item was blocked (blocked stage, blocked label, Jira Flagged), merged. -#}
with blocked as (
    select * from {{ ref('int_blocked_intervals_merged') }}
)

select
    work_item_id,
    cast(block_number as integer) as block_number,
    blocked_from,
    blocked_to,
    {{ dbt.datediff('blocked_from', 'coalesce(blocked_to, ' ~ as_of() ~ ')', 'second') }} / 3600.0e0 as duration_hours,
    reasons,
    {{ refreshed_at() }} as refreshed_at
from blocked
