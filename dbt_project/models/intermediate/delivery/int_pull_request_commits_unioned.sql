{#- The commits of every pull request, from either source, with their authored and committed times. -#}
with github as (
    select
        'github:' || repository || ':pr:' || cast(pull_number as varchar) as pull_request_id,
        sha,
        authored_at,
        committed_at
    from {{ ref('stg_github__pull_request_commits') }}
),

gitlab as (
    select
        'gitlab:' || project_path || ':mr:' || cast(merge_request_iid as varchar) as pull_request_id,
        sha,
        authored_at,
        committed_at
    from {{ ref('stg_gitlab__merge_request_commits') }}
)

select * from github
union all
select * from gitlab
