
  
  create view "new"."staging"."stg_github__issue_assignees__dbt_tmp" as (
    with assignees as (
    
    select
        cast("login" as varchar) as "login",
        cast("_dlt_parent_id" as varchar) as "_dlt_parent_id"
    from "new"."raw_github"."issues__assignees"
),

issues as (
    select * from "new"."staging"."stg_github__issues"
)

select distinct
    issues.issue_id,
    issues.repository,
    issues.repository_id,
    assignees.login as assignee_login
from assignees
inner join issues on assignees._dlt_parent_id = issues._dlt_id
  );
