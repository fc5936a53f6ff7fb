{#-
    The values each improvement's verdict rests on: for every improvement × team × measure of
    `int_improvement_windows`, the items (completed items, merged pull requests) or complete weeks
    of its baseline (`side = 'before'`) and of its after window (`side = 'after'`), numbered
    within the side for the bootstrap of improvement_impact. The report draws the before and
    after distributions from these rows.
-#}
with windows as (
    select * from {{ ref('int_improvement_windows') }}
),

team_values as (
    select * from {{ ref('int_team_measure_values') }}
),

sided as (
    select
        windows.improvement,
        windows.team,
        windows.measure,
        windows.kind,
        case when team_values.measured_on < windows.baseline_end then 'before' else 'after' end as side,
        team_values.measured_on,
        team_values.value,
        team_values.denominator
    from windows
    inner join team_values
        on team_values.team = windows.team
        and team_values.measure = windows.measure
        and (
            (team_values.measured_on >= windows.baseline_start and team_values.measured_on < windows.baseline_end)
            or (team_values.measured_on >= windows.after_start and team_values.measured_on < windows.after_end)
        )
    -- a week counts only when all seven of its days lie inside the window
    where windows.kind = 'items'
        or (team_values.measured_on < windows.baseline_end and {{ dbt.dateadd('day', 7, 'team_values.measured_on') }} <= windows.baseline_end)
        or (team_values.measured_on >= windows.after_start and {{ dbt.dateadd('day', 7, 'team_values.measured_on') }} <= windows.after_end)
)

select
    improvement,
    team,
    measure,
    kind,
    side,
    cast(row_number() over (partition by improvement, team, measure, side order by measured_on, value, denominator) - 1 as integer)
        as sample_index,
    measured_on,
    value,
    denominator,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from sided
