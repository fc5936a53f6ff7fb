with deployments as (
    select * from "new"."intermediate"."int_deployments_unioned"
),

incidents as (
    select
        attributed.caused_by_deployment_id as deployment_id,
        count(*) as incident_count,
        sum(case when incidents.resolved_at is null then 1 else 0 end) as open_incident_count,
        max(incidents.resolved_at) as last_resolved_at
    from "new"."intermediate"."int_incidents_attributed" as attributed
    inner join "new"."intermediate"."int_incidents_unioned" as incidents on attributed.incident_id = incidents.incident_id
    where attributed.caused_by_deployment_id is not null
    group by attributed.caused_by_deployment_id
),

rollbacks as (
    select * from "new"."intermediate"."int_deployment_rollbacks_detected"
),

rolled_back as (
    select rolled_back_deployment_id as deployment_id, rollback_deployment_id, rollback_finished_at
    from (
        select
            *,
            row_number() over (
                partition by rolled_back_deployment_id order by rollback_finished_at, rollback_deployment_id
            ) as rollback_rank
        from rollbacks
    ) as ranked
    where rollback_rank = 1
),

rollback_deployments as (
    select distinct rollback_deployment_id as deployment_id from rollbacks
),

pr_deployments as (
    select * from "new"."intermediate"."int_pull_request_deployments_linked"
),

reverted as (
    -- a revert PR shipped by a later deployment than the one that shipped the reverted PR
    select
        reverted_deployment.deployment_id,
        min(revert_deployment.deployed_at) as revert_deployed_at
    from "new"."intermediate"."int_pull_request_reverts_detected" as reverts
    inner join pr_deployments as reverted_deployment
        on reverts.reverted_pull_request_id = reverted_deployment.pull_request_id
    inner join pr_deployments as revert_deployment
        on reverts.revert_pull_request_id = revert_deployment.pull_request_id
    where revert_deployment.deployment_id <> reverted_deployment.deployment_id
    group by reverted_deployment.deployment_id
),

incident_items as (
    select incident_id from "new"."intermediate"."int_incidents_unioned"
),

unplanned_changes as (
    -- deployments that shipped a hotfix PR or a PR linked to an incident
    select
        pr_deployments.deployment_id,
        max(case when milestones.is_hotfix then 1 else 0 end) = 1 as shipped_hotfix,
        max(case when links.work_item_id is not null then 1 else 0 end) = 1 as shipped_incident_fix,
        count(distinct pr_deployments.pull_request_id) as pull_request_count
    from pr_deployments
    inner join "new"."intermediate"."int_pull_request_milestones" as milestones
        on pr_deployments.pull_request_id = milestones.pull_request_id
    left join "new"."intermediate"."int_pull_request_work_items_linked" as links
        on pr_deployments.pull_request_id = links.pull_request_id
        and links.work_item_id in (select incident_id from incident_items)
    group by pr_deployments.deployment_id
),

flagged as (
    select
        deployments.*,
        deployments.is_production and deployments.is_successful as is_production_deployment,
        coalesce(incidents.incident_count, 0) as incident_count,
        incidents.open_incident_count,
        incidents.last_resolved_at,
        rolled_back.rollback_deployment_id as rolled_back_by_deployment_id,
        rolled_back.rollback_finished_at,
        reverted.revert_deployed_at,
        rollback_deployments.deployment_id is not null as is_rollback,
        coalesce(unplanned_changes.shipped_hotfix, false) as shipped_hotfix,
        coalesce(unplanned_changes.shipped_incident_fix, false) as shipped_incident_fix,
        coalesce(unplanned_changes.pull_request_count, 0) as pull_request_count
    from deployments
    left join incidents on deployments.deployment_id = incidents.deployment_id
    left join rolled_back on deployments.deployment_id = rolled_back.deployment_id
    left join reverted on deployments.deployment_id = reverted.deployment_id
    left join rollback_deployments on deployments.deployment_id = rollback_deployments.deployment_id
    left join unplanned_changes on deployments.deployment_id = unplanned_changes.deployment_id
),

reasons as (
    select deployment_id, 'incident' as reason from flagged where is_production_deployment and incident_count > 0
    union all
    select deployment_id, 'rollback' from flagged where is_production_deployment and rolled_back_by_deployment_id is not null
    union all
    select deployment_id, 'revert' from flagged where is_production_deployment and revert_deployed_at is not null
),

reason_lists as (
    select deployment_id, 
    string_agg(
        reason,
        ', '
        order by reason
        ) as failure_reasons
    from reasons
    group by deployment_id
),

recovered as (
    select
        deployment_id,
        case
            when incident_count > 0 then case when open_incident_count = 0 then last_resolved_at end
            when rolled_back_by_deployment_id is not null then rollback_finished_at
            else revert_deployed_at
        end as recovered_at
    from flagged
    where is_production_deployment
)

select
    flagged.deployment_id,
    flagged.source_system,
    flagged.repository,
    flagged.service,
    flagged.native_id,
    flagged.deploy_source,
    flagged.environment,
    flagged.environment_tier,
    flagged.is_production,
    flagged.is_successful,
    flagged.sha,
    flagged.ref,
    flagged.status,
    flagged.source_status,
    flagged.created_at,
    flagged.finished_at,
    flagged.creator,
    flagged.pipeline_run_id,
    cast(flagged.pull_request_count as integer) as pull_request_count,
    case when flagged.is_production_deployment then flagged.is_rollback end as is_rollback,
    flagged.rolled_back_by_deployment_id,
    case when flagged.is_production_deployment then reason_lists.deployment_id is not null end as is_failed,
    reason_lists.failure_reasons,
    cast(flagged.incident_count as integer) as incident_count,
    case when reason_lists.deployment_id is not null then recovered.recovered_at end as recovered_at,
    case
        when reason_lists.deployment_id is not null
            then case
        when recovered.recovered_at >= flagged.finished_at
            then 
        (date_diff('second', flagged.finished_at::timestamp, recovered.recovered_at::timestamp ))
     / 3600.0e0
    end
    end as recovery_hours,
    case
        when flagged.is_production_deployment
            then flagged.is_rollback or flagged.shipped_hotfix or flagged.shipped_incident_fix
    end as is_rework,
    flagged._dlt_load_id,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from flagged
left join reason_lists on flagged.deployment_id = reason_lists.deployment_id
left join recovered on flagged.deployment_id = recovered.deployment_id