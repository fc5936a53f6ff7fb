{#- Label and open/closed events of GitHub and GitLab issues: where their stages come from. -#}
with github_events as (
    select * from {{ ref('stg_github__issue_events') }}
    where not is_pull_request
),

github as (
    select
        'github:' || repository || ':issue:' || cast(issue_number as varchar) as work_item_id,
        'github' as source_system,
        created_at as event_at,
        actor_login as actor,
        case event_type
            when 'labeled' then 'label_added'
            when 'unlabeled' then 'label_removed'
            else event_type
        end as event_type,
        label_name,
        cast(event_id as varchar) as source_event_id,
        event_id as event_order
    from github_events
    where event_type in ('labeled', 'unlabeled', 'closed', 'reopened')
)

select * from github
