
    

    create  table
      "new"."core"."work_item_handoffs__dbt_tmp"
  
    
    as (
      with changes as (
    select * from "new"."intermediate"."int_assignee_changes_unioned"
),

team_changes as (
    select * from "new"."intermediate"."int_team_changes_unioned"
),

items as (
    select work_item_id, started_at from "new"."core"."work_items"
),

intervals as (
    select work_item_id, stage, stage_category, entered_at, exited_at
    from "new"."core"."work_item_stage_intervals"
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

known as (select *, max(known_assignee) over (partition by work_item_id, known_count) as known_through_here
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

moves as (select
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
        cast(null as TEXT) as from_team,
        cast(null as TEXT) as to_team
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
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from handoffs
left join next_active
    on handoffs.work_item_id = next_active.work_item_id
    and handoffs.changed_at = next_active.changed_at
    and handoffs.event_order = next_active.event_order
    );
    
  