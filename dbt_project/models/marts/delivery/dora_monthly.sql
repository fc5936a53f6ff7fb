{#-
    DORA measures per calendar month (in `reporting_timezone`) and repository; months without
    deployments are zero rows. Computed for every grain and scope in int_dora_periods_measured;
    this is its monthly repository rows. The organisation's are dora_monthly_org.
-#}
select {{ star_except(ref('int_dora_periods_measured'), ['grain', 'scope']) }}
from {{ ref('int_dora_periods_measured') }}
where grain = 'month' and scope = 'repository'
