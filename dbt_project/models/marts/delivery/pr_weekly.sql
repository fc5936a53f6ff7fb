{#-
    Pull request flow per ISO week (Monday, in `reporting_timezone`) and repository: PRs opened,
    merged and deployed, and the medians of pr_cycle_time's phases over the PRs merged in the
    week. Computed with the organisation's rows (pr_weekly_org) in int_pr_weeks_measured.
-#}
select {{ star_except(ref('int_pr_weeks_measured'), ['scope']) }}
from {{ ref('int_pr_weeks_measured') }}
where scope = 'repository'
