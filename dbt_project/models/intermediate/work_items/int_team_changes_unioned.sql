{#-
    Every move of a work item to another team: a Jira issue moved to a project that belongs to
    another team (seed `teams`, else the team named after the project key, as work_items assigns
    it). The move is the changelog's `Key` item (PAY-19 → MOB-3): its project keys are the keys'
    prefixes, so a move from a project the source does not read still has a team. One row per
    move between teams (a move inside one team is none); moves after as_of left out. GitHub
    transfers and GitLab moves are not read: both give the item a new id in its new place.
-#}
with issues as (
    select issue_id, instance from {{ ref('stg_jira__issues') }}
),

moves as (
    select
        {{ canonical_id('work_item', 'jira', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        'jira' as source_system,
        changelog.changed_at,
        changelog.author_name as actor,
        cast(changelog.history_id as bigint) * 100 + changelog.item_index as event_order,
        {{ dbt.split_part('changelog.from_string', "'-'", 1) }} as from_project_key,
        {{ dbt.split_part('changelog.to_string', "'-'", 1) }} as to_project_key
    from {{ ref('stg_jira__issue_changelog') }} as changelog
    inner join issues on changelog.issue_id = issues.issue_id
    where changelog.field = 'Key'
        and changelog.from_string is not null
        and changelog.to_string is not null
        and changelog.changed_at <= {{ as_of() }}
),

projects as (
    select from_project_key as project_key from moves
    union
    select to_project_key from moves
),

teams as (
    {#- the seed's rule, as work_items applies it: the longest matching pattern wins, `*` last -#}
    select
        projects.project_key,
        teams.team,
        row_number() over (
            partition by projects.project_key
            order by case when teams.project_pattern = '*' then 1 else 0 end, length(teams.project_pattern) desc
        ) as match_rank
    from projects
    inner join {{ ref('teams') }} as teams
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
