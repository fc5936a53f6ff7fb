{#-
    DORA measures per ISO week (Monday, in `reporting_timezone`) and repository, plus an
    '(all)' row per week; weeks without deployments are zero rows. The measures are computed for
    every grain in int_dora_periods_measured; this is its weekly grain.
-#}
with periods as (
    select * from {{ ref('int_dora_periods_measured') }}
)

select
    period_start as week_start,
    {{ star_except(ref('int_dora_periods_measured'), ['grain', 'period_start']) }}
from periods
where grain = 'week'
