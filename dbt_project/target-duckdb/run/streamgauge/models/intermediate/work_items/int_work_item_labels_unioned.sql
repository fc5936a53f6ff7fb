
  
  create view "new"."intermediate"."int_work_item_labels_unioned__dbt_tmp" as (
    with github as (
    select
        'github:' || issues.repository_id || ':issue:' || cast(issues.issue_number as varchar) as work_item_id,
        labels.label_name
    from "new"."staging"."stg_github__issue_labels" as labels
    inner join "new"."staging"."stg_github__issues" as issues on labels.issue_id = issues.issue_id
),

jira as (
    select
        'jira:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        labels.label_name
    from "new"."staging"."stg_jira__issue_labels" as labels
    inner join "new"."staging"."stg_jira__issues" as issues on labels.issue_id = issues.issue_id
),

gitlab as (
    select
        'gitlab:' || issues.project_path || ':issue:' || cast(issues.issue_iid as varchar) as work_item_id,
        labels.label_name
    from "new"."staging"."stg_gitlab__issue_labels" as labels
    inner join "new"."staging"."stg_gitlab__issues" as issues on labels.issue_id = issues.issue_id
),

linear as (
    select
        'linear:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        labels.label_name
    from "new"."staging"."stg_linear__issue_labels" as labels
    inner join "new"."staging"."stg_linear__issues" as issues on labels.issue_id = issues.issue_id
)

select * from github
union all
select * from linear
union all
select * from jira
union all
select * from gitlab
  );
