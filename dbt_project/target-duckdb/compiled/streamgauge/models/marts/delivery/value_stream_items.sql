with work_items as (
    select * from "new"."core"."work_items"
    where deleted_at is null
),

links as (
    select * from "new"."core"."pull_request_work_items"
),

pull_requests as (
    select * from "new"."core"."pull_requests"
),

linked as (
    select
        links.work_item_id,
        pull_requests.pull_request_id,
        pull_requests.created_at,
        pull_requests.merged_at,
        pull_requests.deployed_at,
        pull_requests.deployment_id,
        row_number() over (
            partition by links.work_item_id
            order by pull_requests.deployed_at desc, pull_requests.pull_request_id desc
        ) as deployment_recency
    from links
    inner join pull_requests on links.pull_request_id = pull_requests.pull_request_id
),

per_item as (
    select
        work_item_id,
        count(*) as linked_pr_count,
        sum(case when merged_at is not null then 1 else 0 end) as merged_pr_count,
        sum(case when merged_at is not null and deployed_at is null then 1 else 0 end) as undeployed_merged_pr_count,
        min(created_at) as first_pr_opened_at,
        max(merged_at) as last_pr_merged_at,
        max(deployed_at) as last_deployed_at
    from linked
    group by work_item_id
),

last_deployments as (
    select work_item_id, deployment_id from linked where deployment_recency = 1 and deployed_at is not null
),

stream as (
    select
        work_items.*,
        coalesce(per_item.linked_pr_count, 0) as linked_pr_count,
        coalesce(per_item.merged_pr_count, 0) as merged_pr_count,
        per_item.first_pr_opened_at,
        per_item.last_pr_merged_at,
        case
            when per_item.merged_pr_count > 0 and per_item.undeployed_merged_pr_count = 0 then per_item.last_deployed_at
        end as deployed_at,
        case
            when per_item.merged_pr_count > 0 and per_item.undeployed_merged_pr_count = 0 then last_deployments.deployment_id
        end as deployment_id
    from work_items
    left join per_item on work_items.work_item_id = per_item.work_item_id
    left join last_deployments on work_items.work_item_id = last_deployments.work_item_id
)

select
    work_item_id,
    source_system,
    project_key,
    team,
    item_key,
    title,
    flow_type,
    current_stage,
    current_stage_category,
    created_at,
    started_at,
    completed_at,
    cast(linked_pr_count as integer) as linked_pr_count,
    cast(merged_pr_count as integer) as merged_pr_count,
    first_pr_opened_at,
    last_pr_merged_at,
    deployed_at,
    deployment_id,
    case
        when started_at >= created_at
            then 
        (date_diff('second', created_at::timestamp, started_at::timestamp ))
     / 3600.0e0
    end as created_to_started_hours,
    case
        when first_pr_opened_at >= started_at
            then 
        (date_diff('second', started_at::timestamp, first_pr_opened_at::timestamp ))
     / 3600.0e0
    end as started_to_first_pr_hours,
    case
        when last_pr_merged_at >= first_pr_opened_at
            then 
        (date_diff('second', first_pr_opened_at::timestamp, last_pr_merged_at::timestamp ))
     / 3600.0e0
    end as first_pr_to_last_merge_hours,
    case
        when deployed_at >= last_pr_merged_at
            then 
        (date_diff('second', last_pr_merged_at::timestamp, deployed_at::timestamp ))
     / 3600.0e0
    end as last_merge_to_deploy_hours,
    case
        when deployed_at >= created_at
            then 
        (date_diff('second', created_at::timestamp, deployed_at::timestamp ))
     / 3600.0e0
    end as created_to_deployed_hours,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from stream