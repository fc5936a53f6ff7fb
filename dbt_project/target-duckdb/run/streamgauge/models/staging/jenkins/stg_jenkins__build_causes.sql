
  
  create view "new"."staging"."stg_jenkins__build_causes__dbt_tmp" as (
    with causes as (
    
    select
        cast("cause_class" as varchar) as "cause_class",
        cast("short_description" as varchar) as "short_description",
        cast("user_id" as varchar) as "user_id",
        cast("upstream_project" as varchar) as "upstream_project",
        cast("upstream_build" as bigint) as "upstream_build",
        cast("_dlt_list_idx" as bigint) as "_dlt_list_idx",
        cast("_dlt_parent_id" as varchar) as "_dlt_parent_id"
    from "new"."raw_jenkins"."builds__causes"
),

builds as (
    select * from "new"."staging"."stg_jenkins__builds"
)

select
    builds.build_key,
    causes._dlt_list_idx as position,
    causes.cause_class,
    -- replays and rebuilds run a build again: re-runs
    causes.cause_class like '%.ReplayCause' or causes.cause_class like '%.RebuildCause' as is_rerun,
    causes.short_description,
    causes.user_id,
    causes.upstream_project,
    causes.upstream_build
from causes
inner join builds on causes._dlt_parent_id = builds._dlt_id
  );
