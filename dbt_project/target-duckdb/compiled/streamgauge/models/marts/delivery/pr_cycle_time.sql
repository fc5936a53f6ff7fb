with pull_requests as (
    select * from "new"."core"."pull_requests"
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
        
    string_agg(
        span,
        ', '
        order by span
        ) as negative_spans
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
    case
        when phased.created_at >= phased.first_commit_at
            then 
        (date_diff('second', phased.first_commit_at::timestamp, phased.created_at::timestamp ))
     / 3600.0e0
    end as coding_hours,
    case
        when phased.reviewed_before_ready then 0.0
        when not phased.merged_without_review
            then case
        when phased.first_review_at >= phased.ready_at
            then 
        (date_diff('second', phased.ready_at::timestamp, phased.first_review_at::timestamp ))
     / 3600.0e0
    end
    end as pickup_hours,
    case
        when not phased.merged_without_review
            then case
        when phased.merged_at >= phased.first_review_at
            then 
        (date_diff('second', phased.first_review_at::timestamp, phased.merged_at::timestamp ))
     / 3600.0e0
    end
    end as review_hours,
    case
        when phased.deployed_at >= phased.merged_at
            then 
        (date_diff('second', phased.merged_at::timestamp, phased.deployed_at::timestamp ))
     / 3600.0e0
    end as deploy_hours,
    case
        when phased.cycle_end_at >= phased.cycle_start_at
            then 
        (date_diff('second', phased.cycle_start_at::timestamp, phased.cycle_end_at::timestamp ))
     / 3600.0e0
    end as pr_cycle_hours,
    case
        when phased.deployed_at >= phased.change_started_at
            then 
        (date_diff('second', phased.change_started_at::timestamp, phased.deployed_at::timestamp ))
     / 3600.0e0
    end as lead_time_for_changes_hours,
    phased.merged_without_review,
    phased.reviewed_before_ready,
    phased.lines_changed,
    phased.changed_files,
    phased.commit_count,
    case
        when phased.lines_changed is null then null
        when phased.lines_changed >= 1000 then 'XL'
        when phased.lines_changed >= 500 then 'L'
        when phased.lines_changed >= 200 then 'M'
        when phased.lines_changed >= 50 then 'S'
        else 'XS'
    end as size_band,
    reverted.pull_request_id is not null as is_reverted,
    negative_lists.negative_spans,
    cast(date_trunc('week', phased.merged_at) as date) as merged_week_start,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from phased
left join negative_lists on phased.pull_request_id = negative_lists.pull_request_id
left join reverted on phased.pull_request_id = reverted.pull_request_id