{#-
    DORA measures per ISO week (Monday, in `reporting_timezone`) and repository; periods without deployments are
    zero rows. Computed for every grain and scope in int_dora_periods_measured; this is its
    weekly repository rows. The organisation's are dora_weekly_org.
-#}
with periods as (
    select * from {{ ref('int_dora_periods_measured') }}
)

select {{ star_except(ref('int_dora_periods_measured'), ['grain', 'scope']) }}
from periods
where grain = 'week' and scope = 'repository'
