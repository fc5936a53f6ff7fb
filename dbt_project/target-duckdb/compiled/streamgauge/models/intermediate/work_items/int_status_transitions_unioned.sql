with items as (
    select work_item_id, _dlt_load_id from "new"."intermediate"."int_work_items_unioned"
    where 1 = 1
),

label_derived as (
    select
        work_item_id,
        transitioned_at,
        actor,
        from_status_raw,
        to_status_raw,
        source_event_id,
        event_order
    from "new"."intermediate"."int_label_status_changes"
),

jira as (
    select
        'jira:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        changelog.changed_at as transitioned_at,
        changelog.author_name as actor,
        changelog.from_string as from_status_raw,
        case
            when lower(trim(issues.resolution_name)) = 'duplicate'
                and changelog.changed_at >= issues.resolved_at
                and changelog.to_string = issues.status_name
                then changelog.to_string || ':duplicate'
            else changelog.to_string
        end as to_status_raw,
        changelog.history_id as source_event_id,
        cast(changelog.history_id as bigint) * 100 + changelog.item_index as event_order
    from "new"."staging"."stg_jira__issue_changelog" as changelog
    inner join "new"."staging"."stg_jira__issues" as issues on changelog.issue_id = issues.issue_id
    where changelog.field = 'status'
        and changelog.changed_at <= cast('2026-11-02 00:00:00' as timestamp)  -- later ones are held out (int_events_after_as_of)
),

linear as (
    select
        'linear:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        history.changed_at as transitioned_at,
        history.actor_name as actor,
        history.from_state_name as from_status_raw,
        history.to_state_name as to_status_raw,
        history.history_id as source_event_id,
        history.entry_order as event_order
    from "new"."staging"."stg_linear__issue_history" as history
    inner join "new"."staging"."stg_linear__issues" as issues on history.issue_id = issues.issue_id
    where history.to_state_name is not null
        and history.changed_at <= cast('2026-11-02 00:00:00' as timestamp)  -- later ones are held out (int_events_after_as_of)
),

unioned as (
    select * from label_derived
    union all
    select * from jira
    union all
    select * from linear
)

select unioned.*, items._dlt_load_id
from unioned
inner join items on unioned.work_item_id = items.work_item_id