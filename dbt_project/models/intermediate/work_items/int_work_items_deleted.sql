{#-
    Work items deleted upstream. Incremental cursors never see a deletion, so every few days the
    sources list the ids of all issues of each repository or project (ingestion/reconcile.py): an
    item that a reconciliation of its repository or project after its creation and after it was
    last listed did not list is gone, since that reconciliation (deleted_at).
-#}
with items as (
    select work_item_id, source_system, project_key, created_at from {{ ref('int_work_items_unioned') }}
),

sightings as (
    select
        {{ canonical_id('work_item', 'github', 'repository_id', 'issue_number') }} as work_item_id,
        reconciled_at
    from {{ ref('stg_github__issue_ids') }}

    union all

    select
        {{ canonical_id('work_item', 'jira', 'issues.instance', 'issues.issue_id') }},
        ids.reconciled_at
    from {{ ref('stg_jira__issue_ids') }} as ids
    inner join {{ ref('stg_jira__issues') }} as issues on ids.issue_id = issues.issue_id

    union all

    select
        {{ canonical_id('work_item', 'gitlab', 'issues.instance', 'issues.issue_id') }},
        ids.reconciled_at
    from {{ ref('stg_gitlab__issue_ids') }} as ids
    inner join {{ ref('stg_gitlab__projects') }} as projects on ids.project_path = projects.project_path
    inner join {{ ref('stg_gitlab__issues') }} as issues
        on projects.project_id = issues.project_id and ids.issue_iid = issues.issue_iid
),

reconciliations as (
    select 'github' as source_system, repository as project_key, reconciled_at from {{ ref('stg_github__reconciliations') }}
    union all
    select 'jira', project_key, reconciled_at from {{ ref('stg_jira__reconciliations') }}
    union all
    select 'gitlab', project_path, reconciled_at from {{ ref('stg_gitlab__reconciliations') }}
)

select items.work_item_id, min(reconciliations.reconciled_at) as deleted_at
from items
left join sightings on items.work_item_id = sightings.work_item_id
inner join reconciliations
    on reconciliations.source_system = items.source_system
    and reconciliations.project_key = items.project_key
    and reconciliations.reconciled_at > coalesce(sightings.reconciled_at, items.created_at)
group by items.work_item_id
