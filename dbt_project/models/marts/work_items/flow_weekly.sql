{#-
    Team × ISO week (from Monday in the reporting time zone): throughput, lead and cycle time
    percentiles, WIP, flow efficiency, flow distribution. Computed for every grain and scope in
    int_flow_periods_measured; this is its weekly team rows. The organisation's are flow_weekly_org.
-#}
select {{ star_except(ref('int_flow_periods_measured'), ['grain', 'scope']) }}
from {{ ref('int_flow_periods_measured') }}
where grain = 'week' and scope = 'team'
