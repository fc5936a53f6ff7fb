{{ config(schema="intermediate", materialized="view") }}  {#- a step of the marts, not one -#}
{#- Every reporting day from the first work item's creation to the as-of day. -#}
with bounds as (
    select
        min({{ reporting_date('created_at') }}) as first_day,
        {{ reporting_date(as_of()) }} as last_day
    from {{ ref('work_items') }}
),

days as (
    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", "cast('2100-01-01' as date)") }}
)

select cast(days.date_day as date) as day
from days
cross join bounds
where cast(days.date_day as date) between bounds.first_day and bounds.last_day
