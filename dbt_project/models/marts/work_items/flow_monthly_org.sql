{#-
    The whole organisation × calendar month: flow_monthly's measures over every team's items
    together (percentiles recomputed over all of them, never averaged from the teams').
-#}
select {{ star_except(ref('int_flow_periods_measured'), ['grain', 'scope', 'team']) }}
from {{ ref('int_flow_periods_measured') }}
where grain = 'month' and scope = 'organisation'
