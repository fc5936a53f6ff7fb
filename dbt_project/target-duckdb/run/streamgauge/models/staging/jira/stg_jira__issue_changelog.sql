
  
  create view "new"."staging"."stg_jira__issue_changelog__dbt_tmp" as (
    with source as (
    
    select
        cast("history_id" as varchar) as "history_id",
        cast("item_index" as bigint) as "item_index",
        cast("issue_id" as varchar) as "issue_id",
        cast("issue_key" as varchar) as "issue_key",
        cast(cast("created" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created",
        cast("author_account_id" as varchar) as "author_account_id",
        cast("author_name" as varchar) as "author_name",
        cast("field" as varchar) as "field",
        cast("field_id" as varchar) as "field_id",
        cast("field_type" as varchar) as "field_type",
        cast("from" as varchar) as "from",
        cast("from_string" as varchar) as "from_string",
        cast("to" as varchar) as "to",
        cast("to_string" as varchar) as "to_string",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_jira"."issue_changelog"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by history_id, item_index order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    history_id,
    item_index,
    issue_id,
    issue_key,
    created as changed_at,
    author_account_id,
    author_name,
    field,
    field_id,
    field_type,
    "from" as from_value,
    from_string,
    "to" as to_value,
    to_string,
    _dlt_load_id
from deduplicated
  );
