with identifiers as (
    
    select
        cast(null as TEXT) as "identifier",
        cast(null as TEXT) as "_dlt_parent_id"
    from (select 1 as missing) as missing_table where 1 = 0
)

select issues.issue_id, identifiers.identifier
from identifiers
inner join "new"."staging"."stg_linear__issues" as issues on identifiers._dlt_parent_id = issues._dlt_id