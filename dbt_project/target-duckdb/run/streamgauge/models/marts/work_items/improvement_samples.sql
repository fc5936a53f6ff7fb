
    

    create  table
      "new"."marts"."improvement_samples__dbt_tmp"
  
    
    as (
      with windows as (
    select * from "new"."intermediate"."int_improvement_windows"
),

team_values as (
    select * from "new"."intermediate"."int_team_measure_values"
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
        or (team_values.measured_on < windows.baseline_end and 

    (team_values.measured_on + cast(7 as bigint) * interval 1 day) <= windows.baseline_end)
        or (team_values.measured_on >= windows.after_start and 

    (team_values.measured_on + cast(7 as bigint) * interval 1 day) <= windows.after_end)
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
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from sided
    );
    
  