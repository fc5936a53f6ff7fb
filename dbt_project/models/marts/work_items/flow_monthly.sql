{#-
    Team × calendar month (in the reporting time zone): throughput, lead and cycle time
    percentiles, WIP, flow efficiency, flow distribution. Computed for every grain and scope in
    int_flow_periods_measured; this is its monthly team rows. The organisation's are flow_monthly_org.
-#}
select {{ star_except(ref('int_flow_periods_measured'), ['grain', 'scope']) }}
from {{ ref('int_flow_periods_measured') }}
where grain = 'month' and scope = 'team'
