with revisions as (
    
    select
        cast("sha" as varchar) as "sha",
        cast("branch" as varchar) as "branch",
        cast("remote_url" as varchar) as "remote_url",
        cast("_dlt_list_idx" as bigint) as "_dlt_list_idx",
        cast("_dlt_parent_id" as varchar) as "_dlt_parent_id"
    from "new"."raw_jenkins"."builds__revisions"
),

builds as (
    select * from "new"."staging"."stg_jenkins__builds"
)

select
    builds.build_key,
    revisions._dlt_list_idx as position,
    revisions.sha,
    -- `refs/remotes/origin/main`, `origin/main` and `main` are one branch
    regexp_replace(revisions.branch, '^(refs/remotes/origin/|refs/heads/|origin/)', '') as branch,
    revisions.remote_url,
    -- the repository's path: https://host/acme/web.git, git@host:acme/web.git and ssh://git@host/acme/web are acme/web
    regexp_replace(
        regexp_replace(revisions.remote_url, '^([a-zA-Z+]+://[^/]+/|[^@/]+@[^:/]+:)', ''), '([.]git)?/*$', ''
    ) as repository_path
from revisions
inner join builds on revisions._dlt_parent_id = builds._dlt_id