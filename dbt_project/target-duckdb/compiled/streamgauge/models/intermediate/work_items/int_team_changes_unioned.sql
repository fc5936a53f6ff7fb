with issues as (
    select issue_id, instance from "new"."staging"."stg_jira__issues"
),

moves as (
    select
        'jira:' || issues.instance || ':' || cast(issues.issue_id as varchar) as work_item_id,
        'jira' as source_system,
        changelog.changed_at,
        changelog.author_name as actor,
        cast(changelog.history_id as bigint) * 100 + changelog.item_index as event_order,
        
    string_split(changelog.from_string, '-')[ 1 ]
 as from_project_key,
        
    string_split(changelog.to_string, '-')[ 1 ]
 as to_project_key
    from "new"."staging"."stg_jira__issue_changelog" as changelog
    inner join issues on changelog.issue_id = issues.issue_id
    where changelog.field = 'Key'
        and changelog.from_string is not null
        and changelog.to_string is not null
        and changelog.changed_at <= cast('2026-11-02 00:00:00' as timestamp)
),

projects as (
    select from_project_key as project_key from moves
    union
    select to_project_key from moves
),

teams as (select
        projects.project_key,
        teams.team,
        row_number() over (
            partition by projects.project_key
            order by case when teams.project_pattern = '*' then 1 else 0 end, length(teams.project_pattern) desc
        ) as match_rank
    from projects
    inner join "new"."seeds"."teams" as teams
        on teams.source_system in ('jira', '*')
        and projects.project_key like replace(replace(teams.project_pattern, '*', '%'), '?', '_')
),

teamed as (
    select
        moves.*,
        coalesce(from_teams.team, moves.from_project_key) as from_team,
        coalesce(to_teams.team, moves.to_project_key) as to_team
    from moves
    left join teams as from_teams on moves.from_project_key = from_teams.project_key and from_teams.match_rank = 1
    left join teams as to_teams on moves.to_project_key = to_teams.project_key and to_teams.match_rank = 1
)

select work_item_id, source_system, changed_at, actor, event_order, from_project_key, to_project_key, from_team, to_team
from teamed
where from_team <> to_team