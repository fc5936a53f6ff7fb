
    

    create  table
      "new"."intermediate"."int_transitions_classified__dbt_tmp"
  
    
    as (
      with items as (
    select work_item_id, source_system, project_key, created_at, _dlt_load_id
    from "new"."intermediate"."int_work_items_unioned"
    where 1 = 1
),

transitions as (
    select * from "new"."intermediate"."int_status_transitions_unioned"
    where work_item_id in (select work_item_id from items)
),

mapping as (
    select * from "new"."intermediate"."int_status_stage_mapping"
),

stages as (
    select * from "new"."seeds"."stages"
),

mapped as (
    select
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

actor_buckets as (select
        *,
        coalesce(actor, '') as bulk_actor,
        floor(
        (date_diff('second', cast('1970-01-01' as timestamp)::timestamp, transitioned_at::timestamp ))
     / 60) as bucket
    from mapped
),

bucket_counts as (
    select bulk_actor, bucket, count(*) as transitions from actor_buckets group by bulk_actor, bucket
),

busy_buckets as (select this_bucket.bulk_actor, this_bucket.bucket
    from bucket_counts as this_bucket
    left join bucket_counts as next_bucket
        on next_bucket.bulk_actor = this_bucket.bulk_actor and next_bucket.bucket = this_bucket.bucket + 1
    left join bucket_counts as previous_bucket
        on previous_bucket.bulk_actor = this_bucket.bulk_actor and previous_bucket.bucket = this_bucket.bucket - 1
    where this_bucket.transitions + coalesce(next_bucket.transitions, 0) >= 50
        or this_bucket.transitions + coalesce(previous_bucket.transitions, 0) >= 50
),

burst_sizes as (
    select
        actor_buckets.*,
        count(*) over (
            partition by actor_buckets.bulk_actor order by actor_buckets.transitioned_at
            range between current row and interval '60 seconds' following
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
            max(case when burst_size >= 50 then 1 else 0 end) over (
                partition by bulk_actor order by transitioned_at
                range between interval '60 seconds' preceding and current row
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
    mapped._dlt_load_id
from mapped
left join bulk_transitions
    on mapped.work_item_id = bulk_transitions.work_item_id and mapped.source_event_id = bulk_transitions.source_event_id
    );
    
  
  