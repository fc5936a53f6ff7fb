{#-
    DORA measures per calendar month (in `reporting_timezone`) for the whole organisation: dora_monthly's
    measures over every repository's deployments, changes and incidents together (medians
    recomputed over all of them).
-#}
select {{ star_except(ref('int_dora_periods_measured'), ['grain', 'scope', 'source_system', 'repository', 'team']) }}
from {{ ref('int_dora_periods_measured') }}
where grain = 'month' and scope = 'organisation'
