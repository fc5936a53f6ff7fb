
  
  create view "new"."intermediate"."int_pull_request_reviews_unioned__dbt_tmp" as (
    with pull_requests as (
    select pull_request_id, source_system, repository, number, author from "new"."intermediate"."int_pull_requests_unioned"
),

github as (
    select
        'github:' || repository_id || ':pr:' || cast(pull_number as varchar) as pull_request_id,
        'github:' || repository_id || ':review:' || cast(review_id as varchar) as review_id,
        reviewer_login as reviewer,
        coalesce(reviewer_is_bot, false) as reviewer_is_bot_type,
        case state
            when 'APPROVED' then 'approved'
            when 'CHANGES_REQUESTED' then 'changes_requested'
            when 'COMMENTED' then 'commented'
            when 'DISMISSED' then 'dismissed'
        end as review_action,
        submitted_at as reviewed_at
    from "new"."staging"."stg_github__pull_request_reviews"
    where submitted_at is not null and state <> 'PENDING'
),

gitlab as (
    select
        'gitlab:' || project_path || ':mr:' || cast(merge_request_iid as varchar) as pull_request_id,
        'gitlab:' || project_path || ':note:' || cast(note_id as varchar) as review_id,
        author_username as reviewer,
        false as reviewer_is_bot_type,
        case review_action when 'requested_changes' then 'changes_requested' else review_action end as review_action,
        created_at as reviewed_at
    from "new"."staging"."stg_gitlab__merge_request_notes"
    where review_action in ('commented', 'approved', 'requested_changes')
),

reviews as (
    select * from github
    union all
    select * from gitlab
)

select
    reviews.review_id,
    reviews.pull_request_id,
    reviews.reviewer,
    reviews.review_action,
    reviews.reviewed_at,
    coalesce(lower(reviews.reviewer) = lower(pull_requests.author), false) as is_by_author,
    reviews.reviewer_is_bot_type
    or coalesce(regexp_matches(reviews.reviewer, '(\[bot\]$|-bot$|^bot-|^dependabot|^renovate)', 'i'), false) as is_bot
from reviews
inner join pull_requests on reviews.pull_request_id = pull_requests.pull_request_id
  );
