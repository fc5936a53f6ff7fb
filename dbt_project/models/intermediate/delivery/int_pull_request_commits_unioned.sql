{#- The commits of every pull request, from either source, with their authored and committed times. -#}
with github as (
    select
        {{ canonical_id('pull_request', 'github', 'repository_id', 'pull_number') }} as pull_request_id,
        sha,
        authored_at,
        committed_at
    from {{ ref('stg_github__pull_request_commits') }}
),

gitlab as (
    select
        {{ canonical_id('pull_request', 'gitlab', 'project_path', 'merge_request_iid') }} as pull_request_id,
        sha,
        authored_at,
        committed_at
    from {{ ref('stg_gitlab__merge_request_commits') }}
)

select * from github
union all
select * from gitlab
