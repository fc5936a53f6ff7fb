with source as (
    
    select
        cast("id" as TEXT) as "id",
        cast("name" as TEXT) as "name",
        cast("type" as TEXT) as "type",
        cast("position" as float) as "position",
        cast("team_key" as TEXT) as "team_key",
        cast("_dlt_load_id" as TEXT) as "_dlt_load_id"
    from "new"."raw_linear"."workflow_states"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by id order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select id as state_id, name as state_name, type as state_type, position, team_key, _dlt_load_id
from deduplicated