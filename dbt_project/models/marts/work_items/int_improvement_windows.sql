{{ config(schema="intermediate", materialized="table") }}  {#- a step of improvement_impact and improvement_samples -#}
{#-
    One row per improvement × team × measure of the seed `improvements` (team `*` means every
    team), with the windows it is judged on, as dates, end exclusive:
    - the baseline: the `improvement_baseline_weeks` weeks before changed_on;
    - the after window: from `improvement_settle_weeks` weeks after changed_on (the change settles
      in meanwhile), as long as the baseline or up to the as-of day, whichever comes first
      (`after_is_partial` then);
    and the other improvements of the same team whose windows overlap it: they confound it.
    A table, though small: as a view, improvement_samples, improvement_impact and a data test each
    computed it, and with it every team's measure values (int_team_measure_values, a view) twice.
-#}
with improvements as (
    select * from {{ ref('improvements') }}
),

known as (
    {#- the measure values read once for both: the teams with data, and the measures' shapes -#}
    select distinct team, measure, kind, quantile, unit from {{ ref('int_team_measure_values') }}
),

team_names as (
    select distinct team from known
),

measures as (
    select distinct measure, kind, quantile, unit from known
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
        cast({{ dbt.dateadd('day', -7 * var('improvement_baseline_weeks'), 'per_team.changed_on') }} as date)
            as baseline_start,
        per_team.changed_on as baseline_end,
        cast({{ dbt.dateadd('day', 7 * var('improvement_settle_weeks'), 'per_team.changed_on') }} as date)
            as after_start,
        cast({{ dbt.dateadd('day', 7 * (var('improvement_settle_weeks') + var('improvement_baseline_weeks')), 'per_team.changed_on') }} as date)
            as after_full_end,
        {{ reporting_date(as_of()) }} as as_of_date
    from per_team
    left join measures on per_team.measure = measures.measure
),

overlapping as (
    select
        windows.improvement,
        windows.team,
        windows.measure,
        {{ dbt.listagg('other.improvement', "', '", "order by other.improvement") }} as overlapping_improvements
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
