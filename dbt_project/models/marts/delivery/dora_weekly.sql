{#-
    DORA measures per ISO week (Monday, in `reporting_timezone`) and repository, plus an
    '(all)' row per week; weeks without deployments are zero rows. The SQL is shared with
    dora_monthly: see macros/delivery/delivery_dora_by_period.sql.
-#}
{{ delivery_dora_by_period('week') }}
