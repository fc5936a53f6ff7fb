{#-
    Batch size: calendar month × team × size band (var pr_size_bands, by lines changed) over the
    pull requests merged in the month: how many, their median lines changed, median pickup and
    review hours, the share merged without review, and of the distinct production deployments
    that shipped them, the share that failed (incident, rollback or revert: core.deployments) and
    the share that shipped one of them that was reverted later. A deployment that shipped PRs of
    two bands counts in both. Every band has a row in every month for every team with merged
    PRs, zeros included; PRs without a size (GitLab's) are left out.
-#}
with pull_requests as (
    select * from {{ ref('pr_cycle_time') }}
    where merged_at is not null and size_band is not null
),

deployments as (
    select deployment_id, is_failed from {{ ref('deployments') }}
),

bands as (
    {{ pr_size_band_rows() }}
),

months as (
    {{ delivery_period_series(
        'month',
        '(select min(' ~ period_start('month', 'merged_at') ~ ') from pull_requests)',
        period_start('month', as_of())
    ) }}
),

teams as (
    select distinct team from pull_requests
),

merged as (
    select
        {{ period_start('month', 'pull_requests.merged_at') }} as period_start,
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
    {{ is_complete('month', 'months.period_start') }} as is_complete,
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
    cast(measured.prs_merged_without_review as {{ type_double() }}) / nullif(measured.prs_merged, 0) as merged_without_review_share,
    cast(coalesce(measured.deployments, 0) as integer) as deployments,
    cast(coalesce(measured.failed_deployments, 0) as integer) as failed_deployments,
    cast(measured.failed_deployments as {{ type_double() }}) / nullif(measured.deployments, 0) as failed_deployment_share,
    cast(coalesce(measured.reverted_deployments, 0) as integer) as reverted_deployments,
    cast(measured.reverted_deployments as {{ type_double() }}) / nullif(measured.deployments, 0) as reverted_deployment_share,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from months
cross join teams
cross join bands
left join measured
    on months.period_start = measured.period_start
    and teams.team = measured.team
    and bands.size_band = measured.size_band
