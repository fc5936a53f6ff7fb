
  
  create view "new"."staging"."stg_pagerduty__incidents__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as varchar) as "id",
        cast("incident_number" as bigint) as "incident_number",
        cast("title" as varchar) as "title",
        cast("description" as varchar) as "description",
        cast("status" as varchar) as "status",
        cast("urgency" as varchar) as "urgency",
        cast("priority__summary" as varchar) as "priority__summary",
        cast("service__id" as varchar) as "service__id",
        cast("service__summary" as varchar) as "service__summary",
        cast("escalation_policy__summary" as varchar) as "escalation_policy__summary",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast(cast("resolved_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "resolved_at",
        cast(cast("last_status_change_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "last_status_change_at",
        cast("html_url" as varchar) as "html_url",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_pagerduty"."incidents"
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
    id as incident_id,
    -- the account's host, e.g. acme.pagerduty.com: the instance of every PagerDuty id
    split_part(split_part(split_part(html_url, '://', 2), '/', 1), ':', 1) as instance,
    incident_number,
    title,
    description,
    status,
    urgency,
    priority__summary as priority,
    service__id as service_id,
    service__summary as service_name,
    escalation_policy__summary as escalation_policy,
    created_at,
    updated_at,
    resolved_at,
    last_status_change_at,
    html_url as url,
    _dlt_load_id
from deduplicated
  );
