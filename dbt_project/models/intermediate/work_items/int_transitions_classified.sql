{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook="{{ delete_changed_items() }}",
    on_schema_change="append_new_columns",
) }}
{#-
    Every status change of every work item, with the stages it left and entered.
    Incremental: a nightly build recomputes only the items loaded since the last one (a bulk
    change is recognised among those items' transitions, which is where one lands).

    direction: `same` (the stage did not change), `reopen` (out of a done stage), `forward` or
    `backward` (by stage order), `unknown` (into or out of an unmapped status: it has no order). is_rework follows metrics.md's backward move: a reopen, or a
    move to a lower stage with both stages started (active or wait). is_bulk marks transitions
    made by one actor at least `bulk_min_transitions` times within `bulk_window_seconds`; the
    transitions without an actor (a deleted account) count as one unknown actor's.
-#}
with items as (
    select work_item_id, source_system, project_key, created_at, _dlt_load_id
    from {{ ref('int_work_items_unioned') }}
    where {{ is_changed_item() }}
),

transitions as (
    select * from {{ ref('int_status_transitions_unioned') }}
    where work_item_id in (select work_item_id from items)
),

mapping as (
    select * from {{ ref('int_status_stage_mapping') }}
),

stages as (
    select * from {{ ref('stages') }}
),

mapped as (
    select
        {#- transitions.* carries the item's _dlt_load_id (int_status_transitions_unioned takes it from
            int_work_items_unioned, rebuilt for the same changed items): the high-water mark's column #}
        transitions.*,
        items.source_system,
        from_map.stage as from_stage,
        to_map.stage as to_stage,
        from_stage.stage_order as from_stage_order,
        to_stage.stage_order as to_stage_order,
        from_stage.category as from_stage_category,
        to_stage.category as to_stage_category
    from transitions
    inner join items on transitions.work_item_id = items.work_item_id
    left join mapping as from_map
        on from_map.source_system = items.source_system
        and from_map.project_key = items.project_key
        and from_map.status_raw = transitions.from_status_raw
    left join mapping as to_map
        on to_map.source_system = items.source_system
        and to_map.project_key = items.project_key
        and to_map.status_raw = transitions.to_status_raw
    left join stages as from_stage on from_map.stage = from_stage.stage
    left join stages as to_stage on to_map.stage = to_stage.stage
),

{%- set window_seconds = var('bulk_window_seconds') %}
{%- set min_transitions = var('bulk_min_transitions') %}

actor_buckets as (
    {#- each actor's transitions per bulk window length of clock time; no actor is one unknown actor -#}
    select
        *,
        coalesce(actor, '') as bulk_actor,
        floor({{ dbt.datediff("cast('1970-01-01' as timestamp)", 'transitioned_at', 'second') }} / {{ window_seconds }}) as bucket
    from mapped
),

bucket_counts as (
    select bulk_actor, bucket, count(*) as transitions from actor_buckets group by bulk_actor, bucket
),

busy_buckets as (
    {#-
        A window of bulk_window_seconds spans at most two adjacent buckets, so a bulk change can
        only lie in a bucket that holds bulk_min_transitions together with a neighbour. Only
        those transitions go through the exact sliding-window count below.
    -#}
    select this_bucket.bulk_actor, this_bucket.bucket
    from bucket_counts as this_bucket
    left join bucket_counts as next_bucket
        on next_bucket.bulk_actor = this_bucket.bulk_actor and next_bucket.bucket = this_bucket.bucket + 1
    left join bucket_counts as previous_bucket
        on previous_bucket.bulk_actor = this_bucket.bulk_actor and previous_bucket.bucket = this_bucket.bucket - 1
    where this_bucket.transitions + coalesce(next_bucket.transitions, 0) >= {{ min_transitions }}
        or this_bucket.transitions + coalesce(previous_bucket.transitions, 0) >= {{ min_transitions }}
),

burst_sizes as (
    select
        actor_buckets.*,
        count(*) over (
            partition by actor_buckets.bulk_actor order by actor_buckets.transitioned_at
            range between current row and interval '{{ window_seconds }} seconds' following
        ) as burst_size
    from actor_buckets
    inner join busy_buckets
        on actor_buckets.bulk_actor = busy_buckets.bulk_actor and actor_buckets.bucket = busy_buckets.bucket
),

bulk_transitions as (
    select work_item_id, source_event_id
    from (
        select
            *,
            max(case when burst_size >= {{ min_transitions }} then 1 else 0 end) over (
                partition by bulk_actor order by transitioned_at
                range between interval '{{ window_seconds }} seconds' preceding and current row
            ) as in_burst
        from burst_sizes
    ) as bursts
    where in_burst = 1
)

select
    mapped.work_item_id || ':' || mapped.source_event_id as transition_id,
    mapped.work_item_id,
    mapped.source_system,
    row_number() over (partition by mapped.work_item_id order by mapped.transitioned_at, mapped.event_order) as transition_number,
    mapped.transitioned_at,
    mapped.actor,
    mapped.from_status_raw,
    mapped.to_status_raw,
    mapped.from_stage,
    mapped.to_stage,
    mapped.from_stage_order,
    mapped.to_stage_order,
    mapped.from_stage_category,
    mapped.to_stage_category,
    case
        when mapped.from_stage = mapped.to_stage then 'same'
        when mapped.from_stage_category = 'done' then 'reopen'
        -- an unmapped status has no place in the order: a move into or out of it is neither way
        when 'unmapped' in (mapped.from_stage, mapped.to_stage) then 'unknown'
        when mapped.to_stage_order > mapped.from_stage_order then 'forward'
        else 'backward'
    end as direction,
    (mapped.from_stage_category = 'done' and mapped.from_stage <> mapped.to_stage)
    or (
        mapped.to_stage_order < mapped.from_stage_order
        and mapped.from_stage_category in ('active', 'wait')
        and mapped.to_stage_category in ('active', 'wait')
    ) as is_rework,
    bulk_transitions.work_item_id is not null as is_bulk,
    mapped.source_event_id,
    mapped._dlt_load_id,
    {{ refreshed_at() }} as rebuilt_at  {#- tests over what a night rewrote: rewritten_items.sql #}
from mapped
left join bulk_transitions
    on mapped.work_item_id = bulk_transitions.work_item_id and mapped.source_event_id = bulk_transitions.source_event_id
