{#-
    DORA measures per calendar month (in `reporting_timezone`) and repository, plus an '(all)'
    row per month; months without deployments are zero rows. The measures are computed for every
    grain in int_dora_periods_measured; this is its monthly grain.
-#}
with periods as (
    select * from {{ ref('int_dora_periods_measured') }}
)

select
    period_start as month_start,
    {{ star_except(ref('int_dora_periods_measured'), ['grain', 'period_start']) }}
from periods
where grain = 'month'
