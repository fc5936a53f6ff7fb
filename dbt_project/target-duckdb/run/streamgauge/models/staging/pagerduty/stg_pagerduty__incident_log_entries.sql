
  
  create view "new"."staging"."stg_pagerduty__incident_log_entries__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as varchar) as "id",
        cast("incident_id" as varchar) as "incident_id",
        cast("type" as varchar) as "type",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast("summary" as varchar) as "summary",
        cast("agent__id" as varchar) as "agent__id",
        cast("agent__type" as varchar) as "agent__type",
        cast("agent__summary" as varchar) as "agent__summary",
        cast("channel__type" as varchar) as "channel__type",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_pagerduty"."incident_log_entries"
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
    id as log_entry_id,
    incident_id,
    -- trigger, acknowledge, resolve, assign, escalate, ...: the type without its `_log_entry` suffix
    regexp_replace(type, '_log_entry$', '') as entry_type,
    created_at,
    summary,
    agent__id as agent_id,
    agent__type as agent_type,
    agent__summary as agent_name,
    channel__type as channel,
    _dlt_load_id
from deduplicated
  );
