select "period_start", "is_complete", "prs_opened", "prs_merged", "prs_deployed", "prs_merged_without_review", "merged_without_review_rate", "bot_prs_merged", "coding_hours_p50", "pickup_hours_p50", "review_hours_p50", "deploy_hours_p50", "pr_cycle_hours_p50", "pr_cycle_hours_p85", "as_of", "refreshed_at"
from "new"."intermediate"."int_pr_weeks_measured"
where scope = 'organisation'