
  
  create view "new"."staging"."stg_linear__issue_history__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as TEXT) as "id",
        cast("issue_id" as TEXT) as "issue_id",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast("actor__name" as TEXT) as "actor__name",
        cast("from_state__name" as TEXT) as "from_state__name",
        cast("from_state__type" as TEXT) as "from_state__type",
        cast("to_state__name" as TEXT) as "to_state__name",
        cast("to_state__type" as TEXT) as "to_state__type",
        cast("from_assignee__id" as TEXT) as "from_assignee__id",
        cast("from_assignee__name" as TEXT) as "from_assignee__name",
        cast("to_assignee__id" as TEXT) as "to_assignee__id",
        cast("to_assignee__name" as TEXT) as "to_assignee__name",
        cast("from_team__key" as TEXT) as "from_team__key",
        cast("to_team__key" as TEXT) as "to_team__key",
        cast("_dlt_load_id" as TEXT) as "_dlt_load_id",
        cast("_dlt_id" as TEXT) as "_dlt_id"
    from "new"."raw_linear"."issue_history"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by id order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    id as history_id,
    issue_id,
    created_at as changed_at,
    -- orders entries of one issue that share a moment (history ids are UUIDs)
    row_number() over (partition by issue_id order by created_at, id) as entry_order,
    actor__name as actor_name,
    from_state__name as from_state_name,
    from_state__type as from_state_type,
    to_state__name as to_state_name,
    to_state__type as to_state_type,
    from_assignee__id as from_assignee_id,
    from_assignee__name as from_assignee_name,
    to_assignee__id as to_assignee_id,
    to_assignee__name as to_assignee_name,
    from_team__key as from_team_key,
    to_team__key as to_team_key,
    _dlt_id,
    _dlt_load_id
from deduplicated
  );
