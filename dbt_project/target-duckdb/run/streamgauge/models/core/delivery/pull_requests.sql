
    
      
    

    create  table
      "new"."core"."pull_requests__dbt_tmp"
  
  (
    pull_request_id varchar not null primary key,
    source_system varchar,
    repository varchar,
    service varchar,
    number integer,
    title varchar,
    url varchar,
    author varchar,
    is_bot boolean,
    state varchar,
    base_branch varchar,
    head_branch varchar,
    head_sha varchar,
    merge_sha varchar,
    is_draft boolean,
    created_at timestamp,
    ready_at timestamp,
    first_commit_at timestamp,
    change_started_at timestamp,
    first_review_at timestamp,
    first_approval_at timestamp,
    merged_at timestamp,
    closed_at timestamp,
    additions integer,
    deletions integer,
    changed_files integer,
    commit_count integer,
    review_count integer,
    labels varchar,
    is_hotfix boolean,
    reverted_pull_request_id varchar,
    deployed_at timestamp,
    deployment_id varchar,
    deploy_link_method varchar,
    linked_work_item_ids varchar,
    updated_at timestamp,
    _dlt_load_id varchar,
    refreshed_at timestamp
    
    )
 ;
    
    
    insert into "new"."core"."pull_requests__dbt_tmp" 
  (
    
      
      
      pull_request_id ,
    
      
      
      source_system ,
    
      
      
      repository ,
    
      
      
      service ,
    
      
      
      number ,
    
      
      
      title ,
    
      
      
      url ,
    
      
      
      author ,
    
      
      
      is_bot ,
    
      
      
      state ,
    
      
      
      base_branch ,
    
      
      
      head_branch ,
    
      
      
      head_sha ,
    
      
      
      merge_sha ,
    
      
      
      is_draft ,
    
      
      
      created_at ,
    
      
      
      ready_at ,
    
      
      
      first_commit_at ,
    
      
      
      change_started_at ,
    
      
      
      first_review_at ,
    
      
      
      first_approval_at ,
    
      
      
      merged_at ,
    
      
      
      closed_at ,
    
      
      
      additions ,
    
      
      
      deletions ,
    
      
      
      changed_files ,
    
      
      
      commit_count ,
    
      
      
      review_count ,
    
      
      
      labels ,
    
      
      
      is_hotfix ,
    
      
      
      reverted_pull_request_id ,
    
      
      
      deployed_at ,
    
      
      
      deployment_id ,
    
      
      
      deploy_link_method ,
    
      
      
      linked_work_item_ids ,
    
      
      
      updated_at ,
    
      
      
      _dlt_load_id ,
    
      
      
      refreshed_at 
    
  )
 (
      
    select pull_request_id, source_system, repository, service, number, title, url, author, is_bot, state, base_branch, head_branch, head_sha, merge_sha, is_draft, created_at, ready_at, first_commit_at, change_started_at, first_review_at, first_approval_at, merged_at, closed_at, additions, deletions, changed_files, commit_count, review_count, labels, is_hotfix, reverted_pull_request_id, deployed_at, deployment_id, deploy_link_method, linked_work_item_ids, updated_at, _dlt_load_id, refreshed_at
    from (
        with pull_requests as (
    select * from "new"."intermediate"."int_pull_requests_unioned"
),

milestones as (
    select * from "new"."intermediate"."int_pull_request_milestones"
),

deployments as (
    select * from "new"."intermediate"."int_pull_request_deployments_linked"
),

repositories as (
    select * from "new"."intermediate"."int_repositories_unioned"
),

work_item_links as (
    select
        pull_request_id,
        
    string_agg(
        work_item_id,
        ', '
        order by work_item_id
        ) as linked_work_item_ids
    from "new"."intermediate"."int_pull_request_work_items_linked"
    group by pull_request_id
),

reverts as (
    select * from "new"."intermediate"."int_pull_request_reverts_detected"
)

select
    pull_requests.pull_request_id,
    pull_requests.source_system,
    pull_requests.repository,
    coalesce(repositories.service, pull_requests.repository) as service,
    cast(pull_requests.number as integer) as number,
    pull_requests.title,
    pull_requests.url,
    pull_requests.author,
    pull_requests.is_bot,
    pull_requests.state,
    pull_requests.base_branch,
    pull_requests.head_branch,
    pull_requests.head_sha,
    pull_requests.merge_sha,
    pull_requests.is_draft,
    pull_requests.created_at,
    milestones.ready_at,
    milestones.first_commit_at,
    -- a change starts at its first commit, or when the PR was opened if that came first
    case
        when milestones.first_commit_at < pull_requests.created_at then milestones.first_commit_at
        else pull_requests.created_at
    end as change_started_at,
    milestones.first_review_at,
    milestones.first_approval_at,
    pull_requests.merged_at,
    pull_requests.closed_at,
    cast(pull_requests.additions as integer) as additions,
    cast(pull_requests.deletions as integer) as deletions,
    cast(pull_requests.changed_files as integer) as changed_files,
    cast(milestones.commit_count as integer) as commit_count,
    cast(milestones.review_count as integer) as review_count,
    milestones.labels,
    milestones.is_hotfix,
    reverts.reverted_pull_request_id,
    deployments.deployed_at,
    deployments.deployment_id,
    deployments.link_method as deploy_link_method,
    work_item_links.linked_work_item_ids,
    pull_requests.updated_at,
    pull_requests._dlt_load_id,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from pull_requests
left join milestones on pull_requests.pull_request_id = milestones.pull_request_id
left join deployments on pull_requests.pull_request_id = deployments.pull_request_id
left join repositories
    on pull_requests.source_system = repositories.source_system and pull_requests.repository = repositories.repository
left join work_item_links on pull_requests.pull_request_id = work_item_links.pull_request_id
left join reverts on pull_requests.pull_request_id = reverts.revert_pull_request_id
    ) as model_subq
    );
  