with labels as (
    
    select
        cast("name" as varchar) as "name",
        cast("_dlt_parent_id" as varchar) as "_dlt_parent_id"
    from "new"."raw_gitlab"."issues__labels"
),

issues as (
    select * from "new"."staging"."stg_gitlab__issues"
)

select distinct
    issues.issue_id,
    issues.project_path,
    labels.name as label_name
from labels
inner join issues on labels._dlt_parent_id = issues._dlt_id