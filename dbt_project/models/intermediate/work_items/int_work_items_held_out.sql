{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{% if is_incremental() %}delete from {{ this }} where held_until is null{% endif %}",
) }}
{#-
    The work items the incremental models recompute in every build whatever was loaded: those
    with events held out until as_of reaches them (int_events_after_as_of), with the earliest of
    those events, and, once, those whose held-out events as_of reached since the last build
    (held_until null), so that the events join their history then.
-#}
with held as (
    select work_item_id, min(event_at) as held_until
    from {{ ref('int_events_after_as_of') }}
    group by work_item_id
)

select work_item_id, held_until from held
{%- if is_incremental() %}
union all
select work_item_id, cast(null as timestamp) as held_until
from {{ this }}
where work_item_id not in (select work_item_id from held)
{%- endif %}
