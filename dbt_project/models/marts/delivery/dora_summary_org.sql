{#-
    The DORA picture of the whole organisation over the trailing window: dora_summary's measures
    and tiers over every repository together.
-#}
select {{ star_except(ref('int_dora_window_tiered'), ['scope', 'source_system', 'repository', 'team']) }}
from {{ ref('int_dora_window_tiered') }}
where scope = 'organisation'
