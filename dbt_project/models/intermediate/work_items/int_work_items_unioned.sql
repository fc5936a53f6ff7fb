{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{% if is_incremental() %}delete from {{ this }} where work_item_id is null{% endif %}",
) }}
{#-
    One row per work item from every source, in one vocabulary; stages come later. raw_type is
    Jira's issue type, GitLab's (issue, incident), GitHub's issue type (`issue` for an untyped
    one). state_reason says why an item was closed, where the source says: GitHub's own
    (completed, not_planned, duplicate), `duplicate` for a GitLab issue closed as a duplicate and
    for a Jira issue resolved as Duplicate and a Linear issue in a state of type duplicate. A Linear
    issue's project_key is its team's key and its item_key its identifier (GRO-12), both as they are
    now: an issue that moved team keeps its id.
    A table, as every model of the work-item chain reads it, kept per item: a build recomputes the
    items of loads newer than its newest (`_dlt_load_id`, the chain's high-water mark), and the
    GitHub items whose repository's name now resolves otherwise (int_work_items_renamed). A row
    whose name resolves to nothing has no id: it is recomputed every build, as in a full build.
    Items never leave it: one deleted upstream is marked by int_work_items_deleted.
-#}
-- depends_on: {{ ref('int_work_items_renamed') }} (read by the incremental filter)
with github_issues as (
    select * from {{ ref('stg_github__issues') }}
),

labels as (
    select
        work_item_id,
        {{ dbt.listagg('label_name', "', '", "order by label_name") }} as labels
    from {{ ref('int_work_item_labels_unioned') }}
    group by work_item_id
),

github as (
    select
        {{ canonical_id('work_item', 'github', 'issues.repository_id', 'issues.issue_number') }} as work_item_id,
        'github' as source_system,
        issues.repository as instance,
        issues.repository as project_key,
        issues.repository || '#' || cast(issues.issue_number as {{ type_varchar() }}) as item_key,
        issues.title,
        issues.url,
        coalesce(issues.issue_type, 'issue') as raw_type,
        cast(null as {{ type_varchar() }}) as labels,
        issues.assignee_login as assignee,
        issues.created_at,
        issues.updated_at,
        issues.state = 'closed' as is_closed,
        issues.state_reason,
        cast(null as {{ type_varchar() }}) as current_status_raw,
        issues._dlt_load_id
    from github_issues as issues
),

jira as (
    select
        {{ canonical_id('work_item', 'jira', 'instance', 'issue_id') }} as work_item_id,
        'jira' as source_system,
        instance,
        project_key,
        issue_key as item_key,
        title,
        url,
        issue_type as raw_type,
        cast(null as {{ type_varchar() }}) as labels,
        assignee_name as assignee,
        created_at,
        updated_at,
        status_category_key = 'done' as is_closed,
        case when lower(trim(resolution_name)) = 'duplicate' then 'duplicate' end as state_reason,
        status_name as current_status_raw,
        _dlt_load_id
    from {{ ref('stg_jira__issues') }}
),

gitlab as (
    select
        {{ canonical_id('work_item', 'gitlab', 'instance', 'issue_id') }} as work_item_id,
        'gitlab' as source_system,
        project_path as instance,
        project_path as project_key,
        project_path || '#' || cast(issue_iid as {{ type_varchar() }}) as item_key,
        title,
        url,
        issue_type as raw_type,
        cast(null as {{ type_varchar() }}) as labels,
        assignee_username as assignee,
        created_at,
        updated_at,
        state = 'closed' as is_closed,
        case when closed_as_duplicate_of is not null then 'duplicate' end as state_reason,
        cast(null as {{ type_varchar() }}) as current_status_raw,
        _dlt_load_id
    from {{ ref('stg_gitlab__issues') }}
),

linear as (
    select
        {{ canonical_id('work_item', 'linear', 'instance', 'issue_id') }} as work_item_id,
        'linear' as source_system,
        instance,
        team_key as project_key,
        identifier as item_key,
        title,
        url,
        'issue' as raw_type,
        cast(null as {{ type_varchar() }}) as labels,
        assignee_name as assignee,
        created_at,
        updated_at,
        state_type in ('completed', 'canceled', 'duplicate') as is_closed,
        case when state_type = 'duplicate' then 'duplicate' end as state_reason,
        state_name as current_status_raw,
        _dlt_load_id
    from {{ ref('stg_linear__issues') }}
),

unioned as (
    select * from github
    union all
    select * from jira
    union all
    select * from gitlab
    union all
    select * from linear
)

select
    unioned.work_item_id,
    unioned.source_system,
    unioned.instance,
    unioned.project_key,
    unioned.item_key,
    unioned.title,
    unioned.url,
    unioned.raw_type,
    labels.labels,
    unioned.assignee,
    unioned.created_at,
    unioned.updated_at,
    unioned.is_closed,
    unioned.state_reason,
    unioned.current_status_raw,
    unioned._dlt_load_id
from unioned
left join labels on unioned.work_item_id = labels.work_item_id
{%- if is_incremental() %}
where unioned._dlt_load_id > {{ newest_load() }}
    or unioned.work_item_id is null
    or unioned.work_item_id in (select renamed.work_item_id from {{ ref('int_work_items_renamed') }} as renamed)
{%- endif %}
