{#-
    Team × ISO week (from Monday, in the reporting time zone): throughput, lead and cycle time
    percentiles, WIP, flow efficiency, flow distribution. The measures are computed for weeks and
    months alike in int_flow_periods_measured; this is its weekly grain.
-#}
with periods as (
    select * from {{ ref('int_flow_periods_measured') }}
)

select {{ star_except(ref('int_flow_periods_measured'), ['grain']) }}
from periods
where grain = 'week'
