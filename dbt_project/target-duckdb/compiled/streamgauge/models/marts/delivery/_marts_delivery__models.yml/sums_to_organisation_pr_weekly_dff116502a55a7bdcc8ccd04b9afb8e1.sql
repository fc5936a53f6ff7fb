
    with parts as (
        select
            period_start,
            sum(prs_opened) as prs_opened,
            sum(prs_merged) as prs_merged,
            sum(prs_deployed) as prs_deployed,
            sum(prs_merged_without_review) as prs_merged_without_review,
            sum(bot_prs_merged) as bot_prs_merged
        from "new"."marts"."pr_weekly"
        group by period_start
    )

    select coalesce(totals.period_start, parts.period_start) as period_start
    from "new"."marts"."pr_weekly_org" as totals
    full outer join parts on totals.period_start = parts.period_start
    where
        coalesce(totals.prs_opened, 0) <> coalesce(parts.prs_opened, 0) or
        coalesce(totals.prs_merged, 0) <> coalesce(parts.prs_merged, 0) or
        coalesce(totals.prs_deployed, 0) <> coalesce(parts.prs_deployed, 0) or
        coalesce(totals.prs_merged_without_review, 0) <> coalesce(parts.prs_merged_without_review, 0) or
        coalesce(totals.bot_prs_merged, 0) <> coalesce(parts.bot_prs_merged, 0)
