with pull_requests as (
    select * from "new"."marts"."pr_cycle_time"
    where merged_at is not null and size_band is not null
),

deployments as (
    select deployment_id, is_failed from "new"."core"."deployments"
),

bands as (
    
    select
        'XS' as size_band,
        1 as size_band_order,
        1 as min_lines,
        49 as max_lines
    union all
    select
        'S' as size_band,
        2 as size_band_order,
        50 as min_lines,
        199 as max_lines
    union all
    select
        'M' as size_band,
        3 as size_band_order,
        200 as min_lines,
        499 as max_lines
    union all
    select
        'L' as size_band,
        4 as size_band_order,
        500 as min_lines,
        999 as max_lines
    union all
    select
        'XL' as size_band,
        5 as size_band_order,
        1000 as min_lines,
        cast(null as integer) as max_lines
),

months as (
    select cast(

    ((select min(cast(date_trunc('month', merged_at) as date)) from pull_requests) + cast(cast(series.generated_number as integer) - 1 as bigint) * interval 1 month) as date) as period_start
    from (
    select
        generate_series as generated_number
    from generate_series(1, 260)
) as series
    where 

    ((select min(cast(date_trunc('month', merged_at) as date)) from pull_requests) + cast(cast(series.generated_number as integer) - 1 as bigint) * interval 1 month) <= cast(date_trunc('month', cast('2026-11-02 00:00:00' as timestamp)) as date)
),

teams as (
    select distinct team from pull_requests
),

merged as (
    select
        cast(date_trunc('month', pull_requests.merged_at) as date) as period_start,
        pull_requests.team,
        pull_requests.size_band,
        pull_requests.lines_changed,
        pull_requests.pickup_hours,
        pull_requests.review_hours,
        pull_requests.merged_without_review,
        pull_requests.is_reverted,
        pull_requests.deployment_id,
        deployments.is_failed as deployment_failed
    from pull_requests
    left join deployments on pull_requests.deployment_id = deployments.deployment_id
),

measured as (
    select
        period_start,
        team,
        size_band,
        count(*) as prs_merged,
        percentile_cont(0.5) within group (order by lines_changed) as lines_changed_p50,
        percentile_cont(0.5) within group (order by pickup_hours) as pickup_hours_p50,
        percentile_cont(0.5) within group (order by review_hours) as review_hours_p50,
        sum(case when merged_without_review then 1 else 0 end) as prs_merged_without_review,
        count(distinct deployment_id) as deployments,
        count(distinct case when deployment_failed then deployment_id end) as failed_deployments,
        count(distinct case when is_reverted then deployment_id end) as reverted_deployments
    from merged
    group by period_start, team, size_band
)

select
    months.period_start,
    (cast(

    (months.period_start + cast(1 as bigint) * interval 1 month) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp)) as is_complete,
    teams.team,
    bands.size_band,
    cast(bands.size_band_order as integer) as size_band_order,
    cast(bands.min_lines as integer) as min_lines,
    cast(bands.max_lines as integer) as max_lines,
    cast(coalesce(measured.prs_merged, 0) as integer) as prs_merged,
    measured.lines_changed_p50,
    measured.pickup_hours_p50,
    measured.review_hours_p50,
    cast(coalesce(measured.prs_merged_without_review, 0) as integer) as prs_merged_without_review,
    cast(measured.prs_merged_without_review as double precision) / nullif(measured.prs_merged, 0) as merged_without_review_share,
    cast(coalesce(measured.deployments, 0) as integer) as deployments,
    cast(coalesce(measured.failed_deployments, 0) as integer) as failed_deployments,
    cast(measured.failed_deployments as double precision) / nullif(measured.deployments, 0) as failed_deployment_share,
    cast(coalesce(measured.reverted_deployments, 0) as integer) as reverted_deployments,
    cast(measured.reverted_deployments as double precision) / nullif(measured.deployments, 0) as reverted_deployment_share,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from months
cross join teams
cross join bands
left join measured
    on months.period_start = measured.period_start
    and teams.team = measured.team
    and bands.size_band = measured.size_band