{#-
    DORA measures per calendar month (in `reporting_timezone`) and repository, plus an '(all)'
    row per month; months without deployments are zero rows. The SQL is shared with
    dora_weekly: see macros/delivery/delivery_dora_by_period.sql.
-#}
{{ delivery_dora_by_period('month') }}
