
    

    create  table
      "new"."intermediate"."int_work_items_unioned__dbt_tmp"
  
    
    as (
      with github_issues as (
    select * from "new"."staging"."stg_github__issues"
),

labels as (
    select
        work_item_id,
        
    string_agg(
        label_name,
        ', '
        order by label_name
        ) as labels
    from "new"."intermediate"."int_work_item_labels_unioned"
    group by work_item_id
),

github as (
    select
        'github:' || issues.repository_id || ':issue:' || cast(issues.issue_number as varchar) as work_item_id,
        'github' as source_system,
        issues.repository as instance,
        issues.repository as project_key,
        issues.repository || '#' || cast(issues.issue_number as varchar) as item_key,
        issues.title,
        issues.url,
        coalesce(issues.issue_type, 'issue') as raw_type,
        cast(null as varchar) as labels,
        issues.assignee_login as assignee,
        issues.created_at,
        issues.updated_at,
        issues.state = 'closed' as is_closed,
        issues.state_reason,
        cast(null as varchar) as current_status_raw,
        issues._dlt_load_id
    from github_issues as issues
),

jira as (
    select
        'jira:' || instance || ':' || cast(issue_id as varchar) as work_item_id,
        'jira' as source_system,
        instance,
        project_key,
        issue_key as item_key,
        title,
        url,
        issue_type as raw_type,
        cast(null as varchar) as labels,
        assignee_name as assignee,
        created_at,
        updated_at,
        status_category_key = 'done' as is_closed,
        case when lower(trim(resolution_name)) = 'duplicate' then 'duplicate' end as state_reason,
        status_name as current_status_raw,
        _dlt_load_id
    from "new"."staging"."stg_jira__issues"
),

gitlab as (
    select
        'gitlab:' || project_path || ':issue:' || cast(issue_iid as varchar) as work_item_id,
        'gitlab' as source_system,
        project_path as instance,
        project_path as project_key,
        project_path || '#' || cast(issue_iid as varchar) as item_key,
        title,
        url,
        issue_type as raw_type,
        cast(null as varchar) as labels,
        assignee_username as assignee,
        created_at,
        updated_at,
        state = 'closed' as is_closed,
        case when closed_as_duplicate_of is not null then 'duplicate' end as state_reason,
        cast(null as varchar) as current_status_raw,
        _dlt_load_id
    from "new"."staging"."stg_gitlab__issues"
),

linear as (
    select
        'linear:' || instance || ':' || cast(issue_id as varchar) as work_item_id,
        'linear' as source_system,
        instance,
        team_key as project_key,
        identifier as item_key,
        title,
        url,
        'issue' as raw_type,
        cast(null as varchar) as labels,
        assignee_name as assignee,
        created_at,
        updated_at,
        state_type in ('completed', 'canceled', 'duplicate') as is_closed,
        case when state_type = 'duplicate' then 'duplicate' end as state_reason,
        state_name as current_status_raw,
        _dlt_load_id
    from "new"."staging"."stg_linear__issues"
),

unioned as (
    select * from github
    union all
    select * from jira
    union all
    select * from gitlab
    union all
    select * from linear
)

select
    unioned.work_item_id,
    unioned.source_system,
    unioned.instance,
    unioned.project_key,
    unioned.item_key,
    unioned.title,
    unioned.url,
    unioned.raw_type,
    labels.labels,
    unioned.assignee,
    unioned.created_at,
    unioned.updated_at,
    unioned.is_closed,
    unioned.state_reason,
    unioned.current_status_raw,
    unioned._dlt_load_id
from unioned
left join labels on unioned.work_item_id = labels.work_item_id
    );
    
  