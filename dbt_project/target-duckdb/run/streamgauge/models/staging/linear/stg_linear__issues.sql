
  
  create view "new"."staging"."stg_linear__issues__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as TEXT) as "id",
        cast("identifier" as TEXT) as "identifier",
        cast("number" as bigint) as "number",
        cast("title" as TEXT) as "title",
        cast("url" as TEXT) as "url",
        cast("branch_name" as TEXT) as "branch_name",
        cast("priority" as bigint) as "priority",
        cast("priority_label" as TEXT) as "priority_label",
        cast("estimate" as float) as "estimate",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast(cast("started_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "started_at",
        cast(cast("completed_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "completed_at",
        cast(cast("canceled_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "canceled_at",
        cast(cast("archived_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "archived_at",
        cast("state__id" as TEXT) as "state__id",
        cast("state__name" as TEXT) as "state__name",
        cast("state__type" as TEXT) as "state__type",
        cast("team__id" as TEXT) as "team__id",
        cast("team__key" as TEXT) as "team__key",
        cast("assignee__id" as TEXT) as "assignee__id",
        cast("assignee__name" as TEXT) as "assignee__name",
        cast("project__name" as TEXT) as "project__name",
        cast("cycle__number" as bigint) as "cycle__number",
        cast("_dlt_load_id" as TEXT) as "_dlt_load_id",
        cast("_dlt_id" as TEXT) as "_dlt_id"
    from "new"."raw_linear"."issues"
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
    id as issue_id,
    -- the workspace's URL key, from https://linear.app/<workspace>/issue/…: the instance of every Linear id
    split_part(split_part(url, '://', 2), '/', 2) as instance,
    identifier,
    number as issue_number,
    title,
    url,
    branch_name,
    priority,
    priority_label,
    estimate,
    created_at,
    updated_at,
    started_at,
    completed_at,
    canceled_at,
    archived_at,
    state__id as state_id,
    state__name as state_name,
    state__type as state_type,
    team__id as team_id,
    team__key as team_key,
    assignee__id as assignee_id,
    assignee__name as assignee_name,
    project__name as project_name,
    cycle__number as cycle_number,
    _dlt_id,
    _dlt_load_id
from deduplicated
  );
