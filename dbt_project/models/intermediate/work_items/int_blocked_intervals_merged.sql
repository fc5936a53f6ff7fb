{#-
    When each work item was blocked, for any reason: a visit to a blocked stage, a label
    matching `blocked_label_regex`, or Jira's Flagged field. Overlapping or touching periods
    merge into one (the union), listing every reason that applied. Incremental per work item;
    the durations of periods still open are added by the core view (work_item_blocked_intervals).
-#}
{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{{ delete_changed_items() }}",
) }}

with changed as (
    select work_item_id, _dlt_load_id from {{ ref('int_work_items_unioned') }}
    where {{ is_changed_item() }}
),

stage_visits as (
    select work_item_id, entered_at as blocked_from, exited_at as blocked_to, 'blocked_stage' as reason
    from {{ ref('int_stage_intervals_computed') }}
    where is_blocked_stage and work_item_id in (select work_item_id from changed)
),

labels as (
    select work_item_id, added_at as blocked_from, removed_at as blocked_to, 'blocked_label' as reason
    from {{ ref('int_label_intervals_computed') }}
    where {{ regex_matches('label_name', var('blocked_label_regex')) }}
        and work_item_id in (select work_item_id from changed)
),

jira_flag_changes as (
    select
        {{ canonical_id('work_item', 'jira', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        issues.created_at,
        changelog.changed_at,
        coalesce(changelog.to_string, '') <> '' as flagged,
        lag(coalesce(changelog.to_string, '') <> '') over (
            partition by changelog.issue_id order by changelog.changed_at, changelog.history_id
        ) as previously_flagged
    from {{ ref('stg_jira__issue_changelog') }} as changelog
    inner join {{ ref('stg_jira__issues') }} as issues on changelog.issue_id = issues.issue_id
    where changelog.field = 'Flagged'
        and changelog.changed_at <= {{ as_of() }}  -- later ones are held out (int_events_after_as_of)
),

jira_flag_runs as (
    select
        *,
        lead(changed_at) over (partition by work_item_id order by changed_at) as next_change_at
    from jira_flag_changes
    where previously_flagged is null or previously_flagged <> flagged
),

flags as (
    select work_item_id, changed_at as blocked_from, next_change_at as blocked_to, 'flagged' as reason
    from jira_flag_runs
    where flagged

    union all

    -- unflagged before any flag was seen: flagged since creation
    select work_item_id, created_at, changed_at, 'flagged'
    from jira_flag_runs
    where not flagged and previously_flagged is null

    union all

    -- flagged now with no history of it at all
    select {{ canonical_id('work_item', 'jira', 'issues.instance', 'issues.issue_id') }}, issues.created_at, cast(null as timestamp), 'flagged'
    from {{ ref('stg_jira__issues') }} as issues
    where issues.is_flagged and not exists (
        select 1 from {{ ref('stg_jira__issue_changelog') }} as changelog
        where changelog.issue_id = issues.issue_id and changelog.field = 'Flagged'
    )
),

periods as (
    select * from stage_visits
    union all
    select * from labels
    union all
    select * from flags
),

lasting as (
    select
        work_item_id,
        blocked_from,
        coalesce(blocked_to, cast('9999-12-31 00:00:00' as timestamp)) as blocked_until,
        reason
    from periods
    where blocked_to is null or blocked_to > blocked_from
),

ordered as (
    select
        *,
        max(blocked_until) over (
            partition by work_item_id order by blocked_from, blocked_until
            rows between unbounded preceding and 1 preceding
        ) as previous_until
    from lasting
),

grouped as (
    select
        *,
        sum(case when previous_until is null or blocked_from > previous_until then 1 else 0 end) over (
            partition by work_item_id order by blocked_from, blocked_until rows unbounded preceding
        ) as block_number
    from ordered
),

reason_lists as (
    select
        work_item_id,
        block_number,
        {{ dbt.listagg('reason', "', '", "order by reason") }} as reasons
    from (select distinct work_item_id, block_number, reason from grouped) as distinct_reasons
    group by work_item_id, block_number
),

merged as (
    select
        work_item_id,
        block_number,
        min(blocked_from) as blocked_from,
        nullif(max(blocked_until), cast('9999-12-31 00:00:00' as timestamp)) as blocked_to
    from grouped
    group by work_item_id, block_number
)

select merged.*, reason_lists.reasons, changed._dlt_load_id
from merged
inner join reason_lists
    on merged.work_item_id = reason_lists.work_item_id and merged.block_number = reason_lists.block_number
inner join changed on merged.work_item_id = changed.work_item_id
