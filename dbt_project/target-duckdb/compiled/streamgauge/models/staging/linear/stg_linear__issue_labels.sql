with labels as (
    
    select
        cast("name" as TEXT) as "name",
        cast("_dlt_parent_id" as TEXT) as "_dlt_parent_id"
    from "new"."raw_linear"."issues__labels"
)

select issues.issue_id, labels.name as label_name
from labels
inner join "new"."staging"."stg_linear__issues" as issues on labels._dlt_parent_id = issues._dlt_id