{#-
    The moments of each pull request's life that metrics.md names, one row per pull request.

    first_commit_at: the earliest authored date of its commits. ready_at: when it left draft for
    the last time: GitHub's last `ready_for_review` event, else created_at (never a draft); null
    while it is a draft. GitLab records no draft events where we read them: created_at unless
    still a draft. first_review_at / first_approval_at: the first review act (comment, review,
    approval, change request) / approval by someone other than the author, bots excluded.
    labels: GitHub labels now on the pull request, from its label events (comma-separated);
    is_hotfix: one of them matches `hotfix_label_regex`. (GitLab merge request labels are not
    declared as a source table, so GitLab merge requests have none.)
-#}
with pull_requests as (
    select * from {{ ref('int_pull_requests_unioned') }}
),

commits as (
    select
        pull_request_id,
        min(authored_at) as first_commit_at,
        count(*) as commit_count
    from {{ ref('int_pull_request_commits_unioned') }}
    group by pull_request_id
),

reviews as (
    select
        pull_request_id,
        min(reviewed_at) as first_review_at,
        min(case when review_action = 'approved' then reviewed_at end) as first_approval_at,
        count(*) as review_count
    from {{ ref('int_pull_request_reviews_unioned') }}
    where not is_by_author and not is_bot
    group by pull_request_id
),

pull_request_events as (
    select
        {{ canonical_id('pull_request', 'github', 'repository_id', 'issue_number') }} as pull_request_id,
        event_type,
        label_name,
        created_at,
        event_id
    from {{ ref('stg_github__issue_events') }}
    where is_pull_request
),

ready_events as (
    select pull_request_id, max(created_at) as ready_at
    from pull_request_events
    where event_type = 'ready_for_review'
    group by pull_request_id
),

label_changes as (
    select
        pull_request_id,
        label_name,
        event_type,
        row_number() over (
            partition by pull_request_id, label_name order by created_at desc, event_id desc
        ) as recency
    from pull_request_events
    where event_type in ('labeled', 'unlabeled') and label_name is not null
),

labels as (
    select
        pull_request_id,
        {{ dbt.listagg('label_name', "', '", "order by label_name") }} as labels,
        max(case when {{ regex_matches('label_name', var('hotfix_label_regex')) }} then 1 else 0 end) = 1 as is_hotfix
    from label_changes
    where recency = 1 and event_type = 'labeled'
    group by pull_request_id
)

select
    pull_requests.pull_request_id,
    case
        when pull_requests.is_draft then null
        else coalesce(ready_events.ready_at, pull_requests.created_at)
    end as ready_at,
    commits.first_commit_at,
    reviews.first_review_at,
    reviews.first_approval_at,
    coalesce(reviews.review_count, 0) as review_count,
    coalesce(pull_requests.commit_count, commits.commit_count) as commit_count,
    labels.labels,
    coalesce(labels.is_hotfix, false) as is_hotfix
from pull_requests
left join commits on pull_requests.pull_request_id = commits.pull_request_id
left join reviews on pull_requests.pull_request_id = reviews.pull_request_id
left join ready_events on pull_requests.pull_request_id = ready_events.pull_request_id
left join labels on pull_requests.pull_request_id = labels.pull_request_id
