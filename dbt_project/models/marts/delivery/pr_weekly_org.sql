{#-
    Pull request flow per ISO week for the whole organisation: pr_weekly's measures over every
    repository's PRs together (medians recomputed over all of them).
-#}
select {{ star_except(ref('int_pr_weeks_measured'), ['scope', 'source_system', 'repository', 'team']) }}
from {{ ref('int_pr_weeks_measured') }}
where scope = 'organisation'
