{#-
    Stage intervals tile each work item's life: the first starts at the item's creation, each
    ends where the next begins, only the last is open, and none overlaps another. A `where`
    config keeps the same items of both (`item_key` is a column of both).
-#}
{% test intervals_tile_life(model, items, item_key='work_item_id') %}
    with intervals as (
        select
            *,
            lead(entered_at) over (partition by {{ item_key }} order by entered_at, interval_number) as next_entered_at,
            row_number() over (partition by {{ item_key }} order by entered_at, interval_number) as position
        from {{ model }}
    ),

    items as (
        select {{ item_key }}, created_at from {{ get_where_subquery(items) }}
    )

    select intervals.{{ item_key }}, 'first interval does not start at creation' as problem
    from intervals
    inner join items on intervals.{{ item_key }} = items.{{ item_key }}
    where intervals.position = 1 and intervals.entered_at <> items.created_at

    union all

    select {{ item_key }}, 'gap or overlap between consecutive intervals'
    from intervals
    where next_entered_at is not null and (exited_at is null or exited_at <> next_entered_at)

    union all

    select {{ item_key }}, 'open interval that is not the last'
    from intervals
    where exited_at is null and next_entered_at is not null

    union all

    select items.{{ item_key }}, 'item without an open interval'
    from items
    where not exists (
        select 1 from intervals
        where intervals.{{ item_key }} = items.{{ item_key }} and intervals.exited_at is null
    )
{% endtest %}

{#- Intervals of one key never overlap: [from, to) with a null end meaning "still open". -#}
{% test no_overlaps(model, key, start_column, end_column) %}
    with ordered as (
        select
            *,
            lead({{ start_column }}) over (partition by {{ key }} order by {{ start_column }}) as next_start
        from {{ model }}
    )
    select * from ordered
    where next_start is not null and ({{ end_column }} is null or {{ end_column }} > next_start)
{% endtest %}

{#- `column_name` is never earlier than `other` (both timestamps; nulls pass). -#}
{% test not_before(model, column_name, other) %}
    select * from {{ model }}
    where {{ column_name }} is not null and {{ other }} is not null and {{ column_name }} < {{ other }}
{% endtest %}
