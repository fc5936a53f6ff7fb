with source as (
    
    select
        cast("id" as varchar) as "id",
        cast("name" as varchar) as "name",
        cast("description" as varchar) as "description",
        cast("status" as varchar) as "status",
        cast("html_url" as varchar) as "html_url",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_pagerduty"."services"
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
    id as service_id,
    name as service_name,
    description,
    status,
    html_url as url,
    _dlt_load_id
from deduplicated