{#-
    One row per pull request: the phases of metrics.md, in hours.

    coding   = created_at − first_commit_at
    pickup   = first_review_at − ready_at        (null when merged without review; 0 when
                                                  reviewed before ready)
    review   = merged_at − first_review_at       (null when merged without review)
    deploy   = deployed_at − merged_at
    pr_cycle = (deployed_at, else merged_at) − change_started_at
    lead_time_for_changes = deployed_at − change_started_at (DORA, per deployed PR)
    change_started_at is the earlier of first_commit_at and created_at (core.pull_requests).
    merged_without_review: merged, and nobody but the author (bots aside) reviewed it before the merge.
    reviewed_before_ready: someone reviewed it while it was still a draft (first review before
    ready_at, or a draft today with a review). That is how drafts are used, not clock skew: its
    pickup is 0, not a negative span, and its review still runs from the first review.
    Batch size: lines_changed = additions + deletions, changed_files, commit_count, and size_band
    (var pr_size_bands); is_reverted: a merged PR reverts it.
    A negative span (clock skew, rebased commits) is null, never clamped; negative_spans names
    them and a data test counts them.
-#}
with pull_requests as (
    select * from {{ ref('pull_requests') }}
),

reverted as (
    select distinct reverted_pull_request_id as pull_request_id
    from pull_requests
    where reverted_pull_request_id is not null and merged_at is not null
),

phased as (
    select
        *,
        additions + deletions as lines_changed,
        merged_at is not null and (first_review_at is null or first_review_at > merged_at) as merged_without_review,
        first_review_at is not null
        and (merged_at is null or first_review_at <= merged_at)
        and (ready_at is null or first_review_at < ready_at) as reviewed_before_ready,
        coalesce(deployed_at, merged_at) as cycle_end_at,
        change_started_at as cycle_start_at
    from pull_requests
),

negative as (
    select
        pull_request_id,
        case when created_at < first_commit_at then 'coding' end as coding,
        case when not merged_without_review and merged_at < first_review_at then 'review' end as review,
        case when deployed_at < merged_at then 'deploy' end as deploy,
        case when cycle_end_at < cycle_start_at then 'pr_cycle' end as pr_cycle,
        case when deployed_at < change_started_at then 'lead_time' end as lead_time
    from phased
),

negative_lists as (
    select
        pull_request_id,
        {{ dbt.listagg('span', "', '", "order by span") }} as negative_spans
    from (
        select pull_request_id, coding as span from negative where coding is not null
        union all select pull_request_id, review from negative where review is not null
        union all select pull_request_id, deploy from negative where deploy is not null
        union all select pull_request_id, pr_cycle from negative where pr_cycle is not null
        union all select pull_request_id, lead_time from negative where lead_time is not null
    ) as spans
    group by pull_request_id
)

select
    phased.pull_request_id,
    phased.source_system,
    phased.repository,
    phased.service as team,
    phased.number,
    phased.title,
    phased.url,
    phased.author,
    phased.is_bot,
    phased.state,
    phased.created_at,
    phased.first_commit_at,
    phased.change_started_at,
    phased.ready_at,
    phased.first_review_at,
    phased.first_approval_at,
    phased.merged_at,
    phased.deployed_at,
    phased.deployment_id,
    phased.deploy_link_method,
    {{ delivery_hours_between('phased.first_commit_at', 'phased.created_at') }} as coding_hours,
    case
        when phased.reviewed_before_ready then 0.0
        when not phased.merged_without_review
            then {{ delivery_hours_between('phased.ready_at', 'phased.first_review_at') }}
    end as pickup_hours,
    case
        when not phased.merged_without_review
            then {{ delivery_hours_between('phased.first_review_at', 'phased.merged_at') }}
    end as review_hours,
    {{ delivery_hours_between('phased.merged_at', 'phased.deployed_at') }} as deploy_hours,
    {{ delivery_hours_between('phased.cycle_start_at', 'phased.cycle_end_at') }} as pr_cycle_hours,
    {{ delivery_hours_between('phased.change_started_at', 'phased.deployed_at') }} as lead_time_for_changes_hours,
    phased.merged_without_review,
    phased.reviewed_before_ready,
    phased.lines_changed,
    phased.changed_files,
    phased.commit_count,
    {{ pr_size_band('phased.lines_changed') }} as size_band,
    reverted.pull_request_id is not null as is_reverted,
    negative_lists.negative_spans,
    {{ period_start('week', 'phased.merged_at') }} as merged_week_start,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from phased
left join negative_lists on phased.pull_request_id = negative_lists.pull_request_id
left join reverted on phased.pull_request_id = reverted.pull_request_id
