{#-
    The whole organisation × ISO week: flow_weekly's measures over every team's items
    together (percentiles recomputed over all of them, never averaged from the teams').
-#}
select {{ star_except(ref('int_flow_periods_measured'), ['grain', 'scope', 'team']) }}
from {{ ref('int_flow_periods_measured') }}
where grain = 'week' and scope = 'organisation'
