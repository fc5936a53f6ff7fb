
  
  create view "new"."staging"."stg_jira__issue_labels__dbt_tmp" as (
    with labels as (
    
    select
        cast("value" as varchar) as "value",
        cast("_dlt_parent_id" as varchar) as "_dlt_parent_id"
    from "new"."raw_jira"."issues__labels"
),

issues as (
    select * from "new"."staging"."stg_jira__issues"
)

select distinct
    issues.issue_id,
    issues.issue_key,
    labels.value as label_name
from labels
inner join issues on labels._dlt_parent_id = issues._dlt_id
  );
