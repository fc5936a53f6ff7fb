
  
  create view "new"."staging"."stg_jira__issues__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as varchar) as "id",
        cast("key" as varchar) as "key",
        cast("project_key" as varchar) as "project_key",
        cast("summary" as varchar) as "summary",
        cast("issue_type" as varchar) as "issue_type",
        cast("status_name" as varchar) as "status_name",
        cast("status_category_key" as varchar) as "status_category_key",
        cast(cast("created" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created",
        cast(cast("updated" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated",
        cast(cast("resolutiondate" as timestamp with time zone) at time zone 'UTC' as timestamp) as "resolutiondate",
        cast("resolution_name" as varchar) as "resolution_name",
        cast("priority" as varchar) as "priority",
        cast("assignee_name" as varchar) as "assignee_name",
        cast("reporter_name" as varchar) as "reporter_name",
        cast("flagged" as boolean) as "flagged",
        cast("url" as varchar) as "url",
        cast("_dlt_id" as varchar) as "_dlt_id",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_jira"."issues"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by id order by updated desc, _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    id as issue_id,
    key as issue_key,
    project_key,
    -- the instance: the site's host (no port), from the browse URL (https://acme.atlassian.net/browse/ABC-1)
    split_part(split_part(split_part(url, '://', 2), '/', 1), ':', 1) as instance,
    summary as title,
    issue_type,
    status_name,
    status_category_key,
    created as created_at,
    updated as updated_at,
    resolutiondate as resolved_at,
    resolution_name,
    priority,
    assignee_name,
    reporter_name,
    flagged as is_flagged,
    url,
    _dlt_id,
    _dlt_load_id
from deduplicated
  );
