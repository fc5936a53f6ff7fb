{#-
    Team × calendar month (in the reporting time zone): the measures of flow_weekly, computed in
    int_flow_periods_measured; this is its monthly grain.
-#}
with periods as (
    select * from {{ ref('int_flow_periods_measured') }}
)

select {{ star_except(ref('int_flow_periods_measured'), ['grain']) }}
from periods
where grain = 'month'
