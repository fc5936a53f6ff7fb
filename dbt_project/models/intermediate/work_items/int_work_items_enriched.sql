{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{{ delete_changed_items() }}",
    on_schema_change="append_new_columns",
) }}
{#-
    core.work_items without refreshed_at (see there): who, what, and where each item is in its
    life. Dates follow metrics.md: started_at is the first entry into an active or wait stage (an
    item that went straight from a queue to done started when it was done); completed_at is
    the last entry into done while the item is done; canceled items are never completed.
    Incremental per work item: the items loaded since the last build, and those whose linked
    pull requests changed.
-#}
with pull_request_links as (
    select * from {{ ref('int_work_item_pull_requests_aggregated') }}
),

items as (
    select * from {{ ref('int_work_items_unioned') }}
    where {{ is_changed_item() }}
    {%- if is_incremental() %}
        or work_item_id in (
            select coalesce(pull_request_links.work_item_id, built.work_item_id)
            from pull_request_links
            full outer join {{ this }} as built on pull_request_links.work_item_id = built.work_item_id
            where pull_request_links.linked_pr_ids is distinct from built.linked_pr_ids
        )
    {%- endif %}
),

statuses as (
    select * from {{ ref('int_work_item_statuses') }}
    where work_item_id in (select work_item_id from items)
),

intervals as (
    select * from {{ ref('int_stage_intervals_computed') }}
    where work_item_id in (select work_item_id from items)
),

transitions as (
    select * from {{ ref('int_transitions_classified') }}
    where work_item_id in (select work_item_id from items)
),

labels as (
    select * from {{ ref('int_work_item_labels_unioned') }}
    where work_item_id in (select work_item_id from items)
),

milestones as (
    select
        work_item_id,
        min(case when stage_category in ('active', 'wait') then entered_at end) as first_started_at,
        min(case when stage_category = 'done' then entered_at end) as first_completed_at
    from intervals
    group by work_item_id
),

current_visits as (
    select * from intervals where exited_at is null
),

transition_counts as (
    select
        work_item_id,
        sum(case when direction = 'reopen' then 1 else 0 end) as reopen_count,
        sum(case when is_rework then 1 else 0 end) as rework_count
    from transitions
    group by work_item_id
),

completing_transitions as (
    select work_item_id, is_bulk
    from (
        select
            *,
            row_number() over (partition by work_item_id order by transitioned_at desc, transition_number desc) as recency
        from transitions
        where to_stage_category = 'done'
    ) as into_done
    where recency = 1
),

teams as (
    {#- matched once per project, not once per item: the seed's patterns need a LIKE join -#}
    select
        projects.source_system,
        projects.project_key,
        teams.team,
        row_number() over (
            partition by projects.source_system, projects.project_key
            order by case when teams.project_pattern = '*' then 1 else 0 end, length(teams.project_pattern) desc
        ) as match_rank
    from (select distinct source_system, project_key from items) as projects
    inner join {{ ref('teams') }} as teams
        on teams.source_system in (projects.source_system, '*')
        and projects.project_key like replace(replace(teams.project_pattern, '*', '%'), '?', '_')
),

candidates as (
    select work_item_id, source_system, 'label' as field, label_name as value
    from labels
    inner join items using (work_item_id)
    union all
    select work_item_id, source_system, 'issue_type', raw_type from items
),

value_flow_types as (
    {#- matched once per distinct label or issue type, then joined back by equality -#}
    select
        distinct_values.*,
        flow_type_map.flow_type,
        case flow_type_map.field when 'label' then 0 else 1 end as field_rank,
        length(flow_type_map.value_pattern) as pattern_length
    from (select distinct source_system, field, value from candidates) as distinct_values
    inner join {{ ref('flow_type_map') }} as flow_type_map
        on flow_type_map.source_system in (distinct_values.source_system, '*')
        and flow_type_map.field = distinct_values.field
        and lower(distinct_values.value) like lower(replace(replace(flow_type_map.value_pattern, '*', '%'), '?', '_'))
),

flow_types as (
    select
        candidates.work_item_id,
        value_flow_types.flow_type,
        row_number() over (
            partition by candidates.work_item_id
            order by value_flow_types.field_rank, value_flow_types.pattern_length desc, value_flow_types.flow_type
        ) as match_rank
    from candidates
    inner join value_flow_types
        on value_flow_types.source_system = candidates.source_system
        and value_flow_types.field = candidates.field
        and value_flow_types.value = candidates.value
)

select
    items.work_item_id,
    items.source_system,
    items.instance,
    items.project_key,
    coalesce(teams.team, items.project_key) as team,
    items.item_key,
    items.title,
    items.url,
    items.raw_type,
    coalesce(flow_types.flow_type, 'feature') as flow_type,
    items.labels,
    items.assignee,
    items.created_at,
    case
        when milestones.first_started_at is not null then milestones.first_started_at
        when current_visits.stage_category = 'done' then current_visits.entered_at
    end as started_at,
    milestones.first_completed_at,
    case when current_visits.stage_category = 'done' then current_visits.entered_at end as completed_at,
    case when current_visits.stage_category = 'canceled' then current_visits.entered_at end as canceled_at,
    statuses.current_status_raw,
    current_visits.stage as current_stage,
    current_visits.stage_category as current_stage_category,
    current_visits.stage_category = 'done' as is_done,
    current_visits.stage_category = 'canceled' as is_canceled,
    cast(coalesce(transition_counts.reopen_count, 0) as integer) as reopen_count,
    cast(coalesce(transition_counts.rework_count, 0) as integer) as rework_count,
    current_visits.stage_category = 'done' and coalesce(completing_transitions.is_bulk, false) as completed_in_bulk,
    pull_request_links.linked_pr_ids,
    items.updated_at,
    items._dlt_load_id,
    {{ refreshed_at() }} as rebuilt_at  {#- tests over what a night rewrote: rewritten_items.sql #}
from items
inner join statuses on items.work_item_id = statuses.work_item_id
inner join current_visits on items.work_item_id = current_visits.work_item_id
left join milestones on items.work_item_id = milestones.work_item_id
left join transition_counts on items.work_item_id = transition_counts.work_item_id
left join completing_transitions on items.work_item_id = completing_transitions.work_item_id
left join teams
    on items.source_system = teams.source_system and items.project_key = teams.project_key and teams.match_rank = 1
left join flow_types on items.work_item_id = flow_types.work_item_id and flow_types.match_rank = 1
left join pull_request_links on items.work_item_id = pull_request_links.work_item_id
