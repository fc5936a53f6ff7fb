{#-
    One row per handoff (metrics.md): a change of a work item's assignee from one person to
    another, or of its team (it moved to a project of another team: int_team_changes_unioned),
    while the item is started and not done (from its first start, in any stage but a done or
    canceled one). The first assignment of an unassigned item is not a handoff, nor is an
    unassignment; the next assignment after one is, if the new person differs from the last
    known one. A move and a reassignment at the same instant (one Jira history) are one handoff,
    of kind team, with both the teams and the people. next_active_at is where the new hands started on it: the first entry into an
    active stage after the handoff (null while there is none), or the handoff itself when the item
    was in an active stage then (QA taking over a ticket in testing): the work went on, nothing
    waited that the stages show. Incremental per work item, like the chain it reads from.
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

changes as (
    select * from {{ ref('int_assignee_changes_unioned') }}
    where work_item_id in (select work_item_id from changed)
),

team_changes as (
    select * from {{ ref('int_team_changes_unioned') }}
    where work_item_id in (select work_item_id from changed)
),

items as (
    select enriched.work_item_id, enriched.started_at, changed._dlt_load_id
    from {{ ref('int_work_items_enriched') }} as enriched
    inner join changed on enriched.work_item_id = changed.work_item_id
),

intervals as (
    select work_item_id, stage, stage_category, entered_at, exited_at
    from {{ ref('int_stage_intervals_computed') }}
    where work_item_id in (select work_item_id from changed)
),

counted as (
    select
        *,
        coalesce(to_assignee, from_assignee) as known_assignee,
        count(coalesce(to_assignee, from_assignee)) over (
            partition by work_item_id order by changed_at, event_order rows unbounded preceding
        ) as known_count
    from changes
),

known as (
    {#- the person of the latest change up to this one, this one included: each run of rows with one
        known_count starts with the one change that names someone (`ignore nulls`, portably) -#}
    select *, max(known_assignee) over (partition by work_item_id, known_count) as known_through_here
    from counted
),

sequenced as (
    select
        *,
        -- who had it last: the person of the latest earlier change, assigned or unassigned
        lag(known_through_here) over (partition by work_item_id order by changed_at, event_order) as last_known_assignee
    from known
),

reassignments as (
    select *, coalesce(from_assignee, last_known_assignee) as previous_assignee
    from sequenced
    where to_assignee is not null
        and coalesce(from_assignee, last_known_assignee) is not null
        and to_assignee <> coalesce(from_assignee, last_known_assignee)
),

moves as (
    {#- a team change, with the reassignment made in the same instant if there was one -#}
    select
        team_changes.work_item_id,
        team_changes.source_system,
        team_changes.changed_at,
        team_changes.event_order,
        'team' as handoff_kind,
        reassignments.previous_assignee,
        reassignments.to_assignee,
        reassignments.to_assignee_name,
        team_changes.actor,
        team_changes.from_team,
        team_changes.to_team
    from team_changes
    left join reassignments
        on team_changes.work_item_id = reassignments.work_item_id
        and team_changes.changed_at = reassignments.changed_at
),

candidates as (
    select
        work_item_id,
        source_system,
        changed_at,
        event_order,
        'assignee' as handoff_kind,
        previous_assignee,
        to_assignee,
        to_assignee_name,
        actor,
        cast(null as {{ dbt.type_string() }}) as from_team,
        cast(null as {{ dbt.type_string() }}) as to_team
    from reassignments
    where not exists (
        select 1 from team_changes
        where team_changes.work_item_id = reassignments.work_item_id
            and team_changes.changed_at = reassignments.changed_at
    )
    union all
    select * from moves
),

handoffs as (
    select
        candidates.*,
        items._dlt_load_id,
        intervals.stage as stage_at_handoff,
        intervals.stage_category as stage_category_at_handoff
    from candidates
    inner join items on candidates.work_item_id = items.work_item_id
    inner join intervals
        on candidates.work_item_id = intervals.work_item_id
        and intervals.entered_at <= candidates.changed_at
        and (intervals.exited_at is null or intervals.exited_at > candidates.changed_at)
    where candidates.changed_at >= items.started_at
        and intervals.stage_category not in ('done', 'canceled')
),

next_active as (
    select handoffs.work_item_id, handoffs.changed_at, handoffs.event_order, min(intervals.entered_at) as next_active_at
    from handoffs
    inner join intervals
        on handoffs.work_item_id = intervals.work_item_id
        and intervals.stage_category = 'active'
        and intervals.entered_at > handoffs.changed_at
    group by handoffs.work_item_id, handoffs.changed_at, handoffs.event_order
)

select
    handoffs.work_item_id,
    handoffs.source_system,
    handoffs.changed_at as handoff_at,
    handoffs.event_order,
    handoffs.handoff_kind,
    handoffs.previous_assignee as from_assignee,
    handoffs.to_assignee,
    handoffs.to_assignee_name,
    handoffs.from_team,
    handoffs.to_team,
    handoffs.actor,
    handoffs.stage_at_handoff,
    handoffs.stage_category_at_handoff,
    case
        when handoffs.stage_category_at_handoff = 'active' then handoffs.changed_at
        else next_active.next_active_at
    end as next_active_at,
    handoffs._dlt_load_id,
    {{ refreshed_at() }} as refreshed_at
from handoffs
left join next_active
    on handoffs.work_item_id = next_active.work_item_id
    and handoffs.changed_at = next_active.changed_at
    and handoffs.event_order = next_active.event_order
