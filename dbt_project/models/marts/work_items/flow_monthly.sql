{#- Team × calendar month (in the reporting time zone): the measures of flow_weekly. -#}
{{ flow_period_metrics('month') }}
