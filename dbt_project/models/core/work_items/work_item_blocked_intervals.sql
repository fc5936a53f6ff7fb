{#-
    When each work item was blocked (blocked stage, blocked label, Jira Flagged), merged. A view,
    like work_item_stage_intervals: the periods are maintained incrementally, and those still open
    are measured to this build's as-of time.
-#}
{{ config(materialized="view") }}
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
