
    with parts as (
        select
            period_start,
            sum(throughput) as throughput,
            sum(arrivals) as arrivals,
            sum(starts) as starts,
            sum(discarded) as discarded
        from "new"."marts"."flow_weekly"
        group by period_start
    )

    select coalesce(totals.period_start, parts.period_start) as period_start
    from "new"."marts"."flow_weekly_org" as totals
    full outer join parts on totals.period_start = parts.period_start
    where
        coalesce(totals.throughput, 0) <> coalesce(parts.throughput, 0) or
        coalesce(totals.arrivals, 0) <> coalesce(parts.arrivals, 0) or
        coalesce(totals.starts, 0) <> coalesce(parts.starts, 0) or
        coalesce(totals.discarded, 0) <> coalesce(parts.discarded, 0)
