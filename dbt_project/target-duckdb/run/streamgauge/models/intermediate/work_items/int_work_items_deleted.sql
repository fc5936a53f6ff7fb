
  
  create view "new"."intermediate"."int_work_items_deleted__dbt_tmp" as (
    with items as (
    select work_item_id, source_system, project_key, created_at from "new"."intermediate"."int_work_items_unioned"
),

sightings as (
    select
        'github:' || repository_id || ':issue:' || cast(issue_number as varchar) as work_item_id,
        reconciled_at
    from "new"."staging"."stg_github__issue_ids"

    union all

    select
        'jira:' || issues.instance || ':' || cast(issues.issue_id as varchar),
        ids.reconciled_at
    from "new"."staging"."stg_jira__issue_ids" as ids
    inner join "new"."staging"."stg_jira__issues" as issues on ids.issue_id = issues.issue_id

    union all

    select
        'gitlab:' || project_path || ':issue:' || cast(issue_iid as varchar),
        reconciled_at
    from "new"."staging"."stg_gitlab__issue_ids"
),

reconciliations as (
    select 'github' as source_system, repository as project_key, reconciled_at from "new"."staging"."stg_github__reconciliations"
    union all
    select 'jira', project_key, reconciled_at from "new"."staging"."stg_jira__reconciliations"
    union all
    select 'gitlab', project_path, reconciled_at from "new"."staging"."stg_gitlab__reconciliations"
)

select items.work_item_id, min(reconciliations.reconciled_at) as deleted_at
from items
left join sightings on items.work_item_id = sightings.work_item_id
inner join reconciliations
    on reconciliations.source_system = items.source_system
    and reconciliations.project_key = items.project_key
    and reconciliations.reconciled_at > coalesce(sightings.reconciled_at, items.created_at)
group by items.work_item_id
  );
