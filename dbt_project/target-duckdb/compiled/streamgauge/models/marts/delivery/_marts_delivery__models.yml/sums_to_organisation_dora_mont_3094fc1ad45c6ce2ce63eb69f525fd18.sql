
    with parts as (
        select
            period_start,
            sum(deployments) as deployments,
            sum(failed_deployments) as failed_deployments,
            sum(rework_deployments) as rework_deployments,
            sum(deployed_changes) as deployed_changes,
            sum(recovered_deployments) as recovered_deployments
        from "new"."marts"."dora_monthly"
        group by period_start
    )

    select coalesce(totals.period_start, parts.period_start) as period_start
    from "new"."marts"."dora_monthly_org" as totals
    full outer join parts on totals.period_start = parts.period_start
    where
        coalesce(totals.deployments, 0) <> coalesce(parts.deployments, 0) or
        coalesce(totals.failed_deployments, 0) <> coalesce(parts.failed_deployments, 0) or
        coalesce(totals.rework_deployments, 0) <> coalesce(parts.rework_deployments, 0) or
        coalesce(totals.deployed_changes, 0) <> coalesce(parts.deployed_changes, 0) or
        coalesce(totals.recovered_deployments, 0) <> coalesce(parts.recovered_deployments, 0)
