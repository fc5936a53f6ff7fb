
  
  create view "new"."staging"."stg_gitlab__merge_request_reviewers__dbt_tmp" as (
    with people as (
    
    select
        cast("username" as varchar) as "username",
        cast("_dlt_parent_id" as varchar) as "_dlt_parent_id"
    from "new"."raw_gitlab"."merge_requests__reviewers"
),

parents as (
    
    select
        cast("id" as bigint) as "id",
        cast("project_path" as varchar) as "project_path",
        cast("_dlt_id" as varchar) as "_dlt_id"
    from "new"."raw_gitlab"."merge_requests"
)

select distinct
    parents.id as merge_request_id,
    parents.project_path,
    people.username as reviewer_username
from people
inner join parents on people._dlt_parent_id = parents._dlt_id
  );
