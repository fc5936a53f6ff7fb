{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{{ delete_loaded_items() }}",
) }}
{#-
    Label and open/closed events of GitHub and GitLab issues (where their stages come from), and
    the labels Linear's history entries added or removed (a blocked label among them). A table,
    as three models of the chain read it, kept per work item: a build recomputes the events of the
    items loaded, or with an event loaded, since the table's newest event (`_dlt_load_id`, the
    event's load), and of the GitHub items whose repository's name now resolves otherwise
    (int_work_items_renamed: an event read under a former name may belong to an item only now).
    The loaded items' rows go first (pre-hook), so an item keeps no event that staging drops now
    (a GitLab label deleted since comes again without a name). An event whose
    GitHub repository no name resolves (yet) belongs to no item and is left out: it would stay
    behind under a null id.
-#}
with github_events as (
    select * from {{ ref('stg_github__issue_events') }}
    where not is_pull_request
),

gitlab_issues as (
    {#- a GitLab event names its issue by global id; the id's instance is the issue's server -#}
    select issue_id, instance from {{ ref('stg_gitlab__issues') }}
),

github as (
    select
        {{ canonical_id('work_item', 'github', 'repository_id', 'issue_number') }} as work_item_id,
        'github' as source_system,
        created_at as event_at,
        actor_login as actor,
        case event_type
            when 'labeled' then 'label_added'
            when 'unlabeled' then 'label_removed'
            else event_type
        end as event_type,
        label_name,
        cast(event_id as {{ type_varchar() }}) as source_event_id,
        event_id as event_order,
        _dlt_load_id
    from github_events
    where event_type in ('labeled', 'unlabeled', 'closed', 'reopened')
),

gitlab_labels as (
    select
        {{ canonical_id('work_item', 'gitlab', 'issues.instance', 'events.issue_id') }} as work_item_id,
        'gitlab' as source_system,
        events.created_at as event_at,
        events.actor_username as actor,
        case events.action when 'add' then 'label_added' else 'label_removed' end as event_type,
        events.label_name,
        cast(events.event_id as {{ type_varchar() }}) as source_event_id,
        events.event_id as event_order,
        events._dlt_load_id
    from {{ ref('stg_gitlab__issue_label_events') }} as events
    inner join gitlab_issues as issues on events.issue_id = issues.issue_id
),

gitlab_states as (
    select
        {{ canonical_id('work_item', 'gitlab', 'issues.instance', 'events.issue_id') }} as work_item_id,
        'gitlab' as source_system,
        events.created_at as event_at,
        events.actor_username as actor,
        events.state as event_type,
        cast(null as {{ type_varchar() }}) as label_name,
        cast(events.event_id as {{ type_varchar() }}) as source_event_id,
        events.event_id as event_order,
        events._dlt_load_id
    from {{ ref('stg_gitlab__issue_state_events') }} as events
    inner join gitlab_issues as issues on events.issue_id = issues.issue_id
    where events.state in ('closed', 'reopened')
),

linear_labels as (
    select
        {{ canonical_id('work_item', 'linear', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        'linear' as source_system,
        changes.changed_at as event_at,
        changes.actor_name as actor,
        case changes.action when 'add' then 'label_added' else 'label_removed' end as event_type,
        changes.label_name,
        changes.history_id as source_event_id,
        changes.entry_order as event_order,
        changes._dlt_load_id
    from {{ ref('stg_linear__issue_history_labels') }} as changes
    inner join {{ ref('stg_linear__issues') }} as issues on changes.issue_id = issues.issue_id
),

events as (
    select * from github
    union all
    select * from linear_labels
    union all
    select * from gitlab_labels
    union all
    select * from gitlab_states
)

{#- the refs outside the if, so that dbt sees the dependencies -#}
{%- set items, renamed = ref('int_work_items_unioned'), ref('int_work_items_renamed') %}
select * from events
where work_item_id is not null
{%- if is_incremental() %}
and work_item_id in (
    select work_item_id from {{ items }} where _dlt_load_id > {{ newest_load() }}
    union
    select work_item_id from events where _dlt_load_id > {{ newest_load() }}
    union
    select work_item_id from {{ renamed }}
)
{%- endif %}
