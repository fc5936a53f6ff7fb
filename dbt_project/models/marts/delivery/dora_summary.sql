{#-
    The DORA picture per repository over the trailing window (the `dora_window_weeks` complete
    ISO weeks before the as-of week): each measure and its tier from the `dora_tiers` seed.
    Measured in int_dora_window_measured, tiered in int_dora_window_tiered; the organisation's
    row is dora_summary_org.
-#}
select {{ star_except(ref('int_dora_window_tiered'), ['scope']) }}
from {{ ref('int_dora_window_tiered') }}
where scope = 'repository'
