with improvements as (
    select * from "new"."seeds"."improvements"
),

team_names as (
    select distinct team from "new"."intermediate"."int_team_measure_values"
),

measures as (
    select distinct measure, kind, quantile, unit from "new"."intermediate"."int_team_measure_values"
),

per_team as (
    select
        improvements.improvement,
        -- a team no mart knows (a misspelling) keeps its row, with no data on either side
        coalesce(team_names.team, improvements.team) as team,
        improvements.team as improvement_team,
        improvements.changed_on,
        improvements.description,
        improvements.measure,
        improvements.expected_direction
    from improvements
    left join team_names on improvements.team = team_names.team or improvements.team = '*'
),

windows as (
    select
        per_team.*,
        measures.kind,
        measures.quantile,
        measures.unit,
        cast(

    (per_team.changed_on + cast(-84 as bigint) * interval 1 day) as date)
            as baseline_start,
        per_team.changed_on as baseline_end,
        cast(

    (per_team.changed_on + cast(14 as bigint) * interval 1 day) as date)
            as after_start,
        cast(

    (per_team.changed_on + cast(98 as bigint) * interval 1 day) as date)
            as after_full_end,
        cast(cast('2026-11-02 00:00:00' as timestamp) as date) as as_of_date
    from per_team
    left join measures on per_team.measure = measures.measure
),

overlapping as (
    select
        windows.improvement,
        windows.team,
        windows.measure,
        
    string_agg(
        other.improvement,
        ', '
        order by other.improvement
        ) as overlapping_improvements
    from windows
    inner join (select distinct improvement, team, baseline_start, after_full_end from windows) as other
        on windows.team = other.team
        and windows.improvement <> other.improvement
        and other.baseline_start < windows.after_full_end
        and windows.baseline_start < other.after_full_end
    group by windows.improvement, windows.team, windows.measure
)

select
    windows.improvement,
    windows.team,
    windows.improvement_team,
    windows.changed_on,
    windows.description,
    windows.measure,
    windows.expected_direction,
    windows.kind,
    windows.quantile,
    windows.unit,
    windows.baseline_start,
    windows.baseline_end,
    windows.after_start,
    case
        when windows.as_of_date < windows.after_start then windows.after_start  -- not begun: empty
        when windows.as_of_date < windows.after_full_end then windows.as_of_date
        else windows.after_full_end
    end as after_end,
    windows.as_of_date < windows.after_full_end as after_is_partial,
    overlapping.overlapping_improvements
from windows
left join overlapping
    on windows.improvement = overlapping.improvement
    and windows.team = overlapping.team
    and windows.measure = overlapping.measure