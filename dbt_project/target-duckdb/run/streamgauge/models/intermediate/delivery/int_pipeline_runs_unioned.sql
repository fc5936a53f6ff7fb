
  
  create view "new"."intermediate"."int_pipeline_runs_unioned__dbt_tmp" as (
    with github as (
    select
        'github:' || repository_id || ':run:' || cast(run_id as varchar) as pipeline_run_id,
        'github' as source_system,
        'github' as repository_system,
        repository,
        cast(run_id as varchar) as native_id,
        workflow_name,
        event,
        branch,
        head_sha,
        status,
        conclusion,
        status as source_status,
        attempt,
        run_number,
        created_at,
        started_at,
        finished_at,
        cast(null as varchar) as creator,
        url,
        _dlt_load_id
    from "new"."staging"."stg_github__workflow_runs"
),

gitlab as (
    select
        'gitlab:' || project_path || ':pipeline:' || cast(pipeline_id as varchar) as pipeline_run_id,
        'gitlab' as source_system,
        'gitlab' as repository_system,
        project_path as repository,
        cast(pipeline_id as varchar) as native_id,
        pipeline_name as workflow_name,
        event,
        branch,
        head_sha,
        case
            when status in ('success', 'failed', 'canceled', 'skipped', 'manual') then 'completed'
            when status = 'running' then 'in_progress'
            else 'queued'
        end as status,
        case status
            when 'success' then 'success'
            when 'failed' then 'failure'
            when 'canceled' then 'cancelled'
            when 'skipped' then 'skipped'
            when 'manual' then 'action_required'
        end as conclusion,
        status as source_status,
        cast(1 as bigint) as attempt,
        pipeline_iid as run_number,
        created_at,
        started_at,
        finished_at,
        user_username as creator,
        url,
        _dlt_load_id
    from "new"."staging"."stg_gitlab__pipelines"
),

jenkins as (
    select
        'jenkins:' || instance || ':build:' || cast(build_key as varchar) as pipeline_run_id,
        'jenkins' as source_system,
        repository_system,
        repository,
        build_key as native_id,
        workflow_name,
        event,
        branch,
        head_sha,
        status,
        conclusion,
        source_status,
        attempt,
        run_number,
        created_at,
        started_at,
        finished_at,
        creator,
        url,
        _dlt_load_id
    from "new"."intermediate"."int_jenkins_builds_mapped"
),

runs as (
    select * from github
    union all
    select * from gitlab
    union all
    select * from jenkins
)

select
    *,
    coalesce(regexp_matches(workflow_name, 'deploy', 'i'), false) as is_deploy_workflow
from runs
  );
