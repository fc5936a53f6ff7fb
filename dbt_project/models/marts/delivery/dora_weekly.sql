{#-
    DORA measures per ISO week (Monday, in `reporting_timezone`) and repository; weeks without
    deployments are zero rows. Computed for every grain and scope in int_dora_periods_measured;
    this is its weekly repository rows. The organisation's are dora_weekly_org.
-#}
select {{ star_except(ref('int_dora_periods_measured'), ['grain', 'scope']) }}
from {{ ref('int_dora_periods_measured') }}
where grain = 'week' and scope = 'repository'
