
  
  create view "new"."intermediate"."int_repositories_unioned__dbt_tmp" as (
    with github_repositories as (
    select * from "new"."staging"."stg_github__repositories"
),

gitlab_projects as (
    select * from "new"."staging"."stg_gitlab__projects"
),

github_deployments as (
    select distinct repository from "new"."staging"."stg_github__deployments"
),

gitlab_deployments as (
    select distinct project_path from "new"."staging"."stg_gitlab__deployments"
),

mentioned as (
    -- the configured list first; activity covers a repository whose row was not loaded
    select 'github' as source_system, repository from github_repositories
    union
    select 'github', repository from "new"."staging"."stg_github__pull_requests"
    union
    select 'github', repository from "new"."staging"."stg_github__workflow_runs"
    union
    select 'github', repository from github_deployments
    union
    select 'gitlab', project_path from gitlab_projects
    union
    select 'gitlab', project_path from "new"."staging"."stg_gitlab__merge_requests"
    union
    select 'gitlab', project_path from "new"."staging"."stg_gitlab__pipelines"
    union
    select 'gitlab', project_path from gitlab_deployments
),

details as (
    select 'github' as source_system, repository, max(default_branch) as default_branch, max(url) as url
    from github_repositories
    group by repository
    union all
    select 'gitlab', project_path, max(default_branch), max(url)
    from gitlab_projects
    group by project_path
),

team_matches as (
    select
        mentioned.source_system,
        mentioned.repository,
        teams.team,
        row_number() over (
            partition by mentioned.source_system, mentioned.repository
            order by case when teams.project_pattern = '*' then 1 else 0 end, length(teams.project_pattern) desc
        ) as match_rank
    from mentioned
    inner join "new"."seeds"."teams" as teams
        on teams.source_system in (mentioned.source_system, '*')
        and mentioned.repository like replace(replace(teams.project_pattern, '*', '%'), '?', '_')
)

select
    mentioned.source_system,
    mentioned.repository,
    details.default_branch,
    details.url,
    coalesce(team_matches.team, mentioned.repository) as service,
    case mentioned.source_system
        when 'github' then mentioned.repository in (select repository from github_deployments)
        else mentioned.repository in (select project_path from gitlab_deployments)
    end as has_deployments
from mentioned
left join details
    on mentioned.source_system = details.source_system and mentioned.repository = details.repository
left join team_matches
    on mentioned.source_system = team_matches.source_system
    and mentioned.repository = team_matches.repository
    and team_matches.match_rank = 1
where mentioned.repository is not null
  );
