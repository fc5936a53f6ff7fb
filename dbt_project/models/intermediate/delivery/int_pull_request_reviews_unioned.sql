{#-
    Review activity on pull requests, from either source, one row per review act.

    GitHub: submitted reviews (approved, changes requested, commented; dismissed ones were reviews
    when given). GitLab: review comments and the approve / request-changes system notes.
    is_by_author and is_bot let the milestones leave out self-reviews and bots
    (`bot_login_regex`, or GitHub's Bot user type).
-#}
with pull_requests as (
    select pull_request_id, source_system, repository, number, author from {{ ref('int_pull_requests_unioned') }}
),

github as (
    select
        {{ canonical_id('pull_request', 'github', 'repository_id', 'pull_number') }} as pull_request_id,
        {{ canonical_id('review', 'github', 'repository_id', 'review_id') }} as review_id,
        reviewer_login as reviewer,
        coalesce(reviewer_is_bot, false) as reviewer_is_bot_type,
        case state
            when 'APPROVED' then 'approved'
            when 'CHANGES_REQUESTED' then 'changes_requested'
            when 'COMMENTED' then 'commented'
            when 'DISMISSED' then 'dismissed'
        end as review_action,
        submitted_at as reviewed_at
    from {{ ref('stg_github__pull_request_reviews') }}
    where submitted_at is not null and state <> 'PENDING'
),

gitlab as (
    select
        {{ canonical_id('pull_request', 'gitlab', 'project_path', 'merge_request_iid') }} as pull_request_id,
        {{ canonical_id('review', 'gitlab', 'project_path', 'note_id') }} as review_id,
        author_username as reviewer,
        false as reviewer_is_bot_type,
        case review_action when 'requested_changes' then 'changes_requested' else review_action end as review_action,
        created_at as reviewed_at
    from {{ ref('stg_gitlab__merge_request_notes') }}
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
    or coalesce({{ regex_matches('reviews.reviewer', var('bot_login_regex')) }}, false) as is_bot
from reviews
inner join pull_requests on reviews.pull_request_id = pull_requests.pull_request_id
