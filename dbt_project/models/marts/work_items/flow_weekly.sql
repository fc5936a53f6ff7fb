{#- Team × ISO week (from Monday, in the reporting time zone): throughput, lead and cycle time percentiles, WIP, efficiency, flow distribution. -#}
{{ flow_period_metrics('week') }}
