with source as (
    
    select
        cast("id" as varchar) as "id",
        cast("key" as varchar) as "key",
        cast("name" as varchar) as "name",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_jira"."status_categories"
)

select
    id as status_category_id,
    key as status_category_key,
    name as status_category_name,
    _dlt_load_id
from source