{{ config(
    materialized=incremental_or_table(),
    unique_key=["source_system", "project_key", "status_raw"],
    incremental_strategy="delete+insert",
) }}
{#-
    The stage of every raw status that occurs, per source and project.

    The `status_stage_map` seed decides first (case-insensitive, trimmed; a project pattern
    beats `*`, a longer pattern beats a shorter one), also for a status seen only in history
    (deleted from the workflow since). A status no row maps falls back by source: a Linear state's
    type through the seed's `type:<type>` rows (`type:started` → in_progress), Jira's status
    category (from /status, else from an issue now in it: new → backlog, indeterminate →
    in_progress, done → done), GitHub's and GitLab's open/closed state; a close as a duplicate
    (`<status>:duplicate`, any source) and GitHub's `closed:not_planned` are canceled. Anything
    left is `unmapped`, and a data-quality check lists it.
    Incremental: a nightly build maps the statuses of the changed work items again (the same
    answer for statuses seen before, and new ones added).
-#}
with items as (
    select work_item_id, source_system, project_key, _dlt_load_id from {{ ref('int_work_items_unioned') }}
    where {{ is_changed_item() }}
),

statuses as (
    select items.source_system, items.project_key, statuses.status_raw, max(items._dlt_load_id) as _dlt_load_id
    from (
        select work_item_id, from_status_raw as status_raw from {{ ref('int_status_transitions_unioned') }}
        union all
        select work_item_id, to_status_raw from {{ ref('int_status_transitions_unioned') }}
        union all
        select work_item_id, initial_status_raw from {{ ref('int_work_item_statuses') }}
        union all
        select work_item_id, current_status_raw from {{ ref('int_work_item_statuses') }}
    ) as statuses
    inner join items on statuses.work_item_id = items.work_item_id
    where statuses.status_raw is not null
    group by items.source_system, items.project_key, statuses.status_raw
),

seed_matches as (
    select
        statuses.*,
        status_map.stage,
        row_number() over (
            partition by statuses.source_system, statuses.project_key, statuses.status_raw
            order by case when status_map.project_pattern = '*' then 1 else 0 end,
                length(status_map.project_pattern) desc
        ) as match_rank
    from statuses
    inner join {{ ref('status_stage_map') }} as status_map
        on status_map.source_system = statuses.source_system
        and lower(trim(status_map.raw_status)) = lower(trim(statuses.status_raw))
        and statuses.project_key like replace(replace(status_map.project_pattern, '*', '%'), '?', '_')
),

-- The category of each status by name: from /status, else from the issues now in it (a status
-- deleted from the workflow is no longer listed by /status, but an issue still in it carries it).
jira_known_categories as (
    select lower(trim(status_name)) as status_key, status_category_key, 1 as preference
    from {{ ref('stg_jira__statuses') }}
    where status_category_key is not null
    union all
    select lower(trim(status_name)), status_category_key, 2
    from {{ ref('stg_jira__issues') }}
    where status_category_key is not null
),

-- Linear: each state's type by name, from the teams' workflows, else from issues and history.
linear_known_types as (
    select lower(trim(state_name)) as status_key, state_type, 1 as preference
    from {{ ref('stg_linear__workflow_states') }}
    union all
    select lower(trim(state_name)), state_type, 2 from {{ ref('stg_linear__issues') }}
    union all
    select lower(trim(to_state_name)), to_state_type, 2 from {{ ref('stg_linear__issue_history') }}
    union all
    select lower(trim(from_state_name)), from_state_type, 2 from {{ ref('stg_linear__issue_history') }}
),

linear_types as (
    select status_key, min(state_type) as state_type
    from (
        select *, min(preference) over (partition by status_key) as best from linear_known_types
        where state_type is not null
    ) as ranked
    where preference = best
    group by status_key
),

linear_fallback as (
    -- the seed's row for the state's type (`type:started`), a project pattern beating `*`
    select
        statuses.project_key,
        statuses.status_raw,
        status_map.stage,
        row_number() over (
            partition by statuses.project_key, statuses.status_raw
            order by case when status_map.project_pattern = '*' then 1 else 0 end,
                length(status_map.project_pattern) desc
        ) as match_rank
    from statuses
    inner join linear_types on lower(trim(statuses.status_raw)) = linear_types.status_key
    inner join {{ ref('status_stage_map') }} as status_map
        on status_map.source_system = 'linear'
        and lower(trim(status_map.raw_status)) = 'type:' || linear_types.state_type
        and statuses.project_key like replace(replace(status_map.project_pattern, '*', '%'), '?', '_')
    where statuses.source_system = 'linear'
),

jira_categories as (
    select status_key, min(status_category_key) as status_category_key
    from (
        select *, min(preference) over (partition by status_key) as best from jira_known_categories
    ) as ranked
    where preference = best
    group by status_key
)

select
    statuses.source_system,
    statuses.project_key,
    statuses.status_raw,
    coalesce(seed_matches.stage, fallback.stage, 'unmapped') as stage,
    case
        when seed_matches.stage is not null then 'seed'
        when fallback.stage is not null then 'fallback'
        else 'unmapped'
    end as mapping_method,
    statuses._dlt_load_id
from statuses
left join seed_matches
    on seed_matches.source_system = statuses.source_system
    and seed_matches.project_key = statuses.project_key
    and seed_matches.status_raw = statuses.status_raw
    and seed_matches.match_rank = 1
left join (
    select statuses.source_system, statuses.project_key, statuses.status_raw,
        case
            when statuses.status_raw like '%:duplicate' then 'canceled'
            when statuses.source_system = 'jira' then
                case jira_categories.status_category_key
                    when 'new' then 'backlog'
                    when 'indeterminate' then 'in_progress'
                    when 'done' then 'done'
                end
            when statuses.source_system = 'linear' then linear_fallback.stage
            when statuses.status_raw in ('open', 'opened') then 'backlog'
            when statuses.status_raw = 'closed' then 'done'
            when statuses.status_raw = 'closed:not_planned' then 'canceled'
        end as stage
    from statuses
    left join jira_categories on lower(trim(statuses.status_raw)) = jira_categories.status_key
    left join linear_fallback
        on linear_fallback.project_key = statuses.project_key
        and linear_fallback.status_raw = statuses.status_raw
        and linear_fallback.match_rank = 1
) as fallback
    on fallback.source_system = statuses.source_system
    and fallback.project_key = statuses.project_key
    and fallback.status_raw = statuses.status_raw
