with team_days as (
    select team, period_start as day, sum(throughput) as throughput
    from "new"."marts"."flow_daily"
    where period_start < cast(cast('2026-11-02 00:00:00' as timestamp) as date)
        and period_start >= 

    (cast(cast('2026-11-02 00:00:00' as timestamp) as date) + cast(-90 as bigint) * interval 1 day)
    group by team, period_start
),

teams as (
    select
        team,
        dense_rank() over (order by team) as team_number,
        count(*) as sample_days,
        min(day) as window_start,
        max(day) as window_end
    from team_days
    group by team
),

samples as (
    select
        teams.team_number,
        team_days.throughput,
        row_number() over (partition by team_days.team order by team_days.day) - 1 as sample_index
    from team_days
    inner join teams on team_days.team = teams.team
),

trials as (
    select n as trial from (select cast(range as integer) as n from range(1, 10000 + 1)) as series
),

first_picks as (select
        teams.team_number,
        trials.trial,
        teams.sample_days,
        days_ahead.n as day_ahead,
        0 as finished_before
    from teams
    cross join trials
    cross join (select cast(range as integer) as n from range(1, 30 + 1)) as days_ahead
),

first_draws as (
    
    select
        picks.team_number,
        picks.trial,
        picks.day_ahead,
        picks.finished_before + sum(samples.throughput) over (
            partition by picks.team_number, picks.trial order by picks.day_ahead rows unbounded preceding
        ) as finished
    from (
        select drawn.*, (((((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) * ((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) + 48271) + 12345) % 2147483647) * ((((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) * ((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) + 48271) + 12345) % 2147483647) + 48271) + 12345) % 2147483647 % drawn.sample_days) as sample_index
        from (
            select
                picks.*,
                ((((((((0) * 1000003 + cast(42 as bigint) + 1) % 2147483647) * 1000003 + cast(picks.team_number as bigint) + 1) % 2147483647) * 1000003 + cast(picks.trial as bigint) + 1) % 2147483647) * 1000003 + cast(picks.day_ahead as bigint) + 1) % 2147483647 as random_key
            from first_picks as picks
        ) as drawn
        
    ) as picks
    inner join samples as samples
        on samples.team_number = picks.team_number and samples.sample_index = picks.sample_index
),

later_picks as (select
        first_draws.team_number,
        first_draws.trial,
        teams.sample_days,
        cast(30 + days_ahead.n as integer) as day_ahead,
        first_draws.finished as finished_before
    from first_draws
    inner join teams on first_draws.team_number = teams.team_number
    cross join (select cast(range as integer) as n from range(1, 335 + 1)) as days_ahead
    where first_draws.day_ahead = 30 and first_draws.finished < 50
),

draws as (
    select * from first_draws
    union all
    
    select
        picks.team_number,
        picks.trial,
        picks.day_ahead,
        picks.finished_before + sum(samples.throughput) over (
            partition by picks.team_number, picks.trial order by picks.day_ahead rows unbounded preceding
        ) as finished
    from (
        select drawn.*, (((((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) * ((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) + 48271) + 12345) % 2147483647) * ((((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) * ((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) + 48271) + 12345) % 2147483647) + 48271) + 12345) % 2147483647 % drawn.sample_days) as sample_index
        from (
            select
                picks.*,
                ((((((((0) * 1000003 + cast(42 as bigint) + 1) % 2147483647) * 1000003 + cast(picks.team_number as bigint) + 1) % 2147483647) * 1000003 + cast(picks.trial as bigint) + 1) % 2147483647) * 1000003 + cast(picks.day_ahead as bigint) + 1) % 2147483647 as random_key
            from later_picks as picks
        ) as drawn
        
    ) as picks
    inner join samples as samples
        on samples.team_number = picks.team_number and samples.sample_index = picks.sample_index
),

per_trial as (select
        team_number,
        trial,
        max(case when day_ahead = 14 then finished end) as how_many_14d,
        max(case when day_ahead = 30 then finished end) as how_many_30d,
        min(case when finished >= 10 then day_ahead end) as when_10,
        min(case when finished >= 25 then day_ahead end) as when_25,
        min(case when finished >= 50 then day_ahead end) as when_50
    from draws
    group by team_number, trial
),

answers as (
    select
        team_number,
        'how_many' as question,
        14 as horizon_days,
        cast(null as integer) as item_count,
        'items' as unit,
        percentile_cont(0.50) within group (order by how_many_14d) as p50,
        percentile_cont(0.15) within group (order by how_many_14d) as p85,
        percentile_cont(0.05) within group (order by how_many_14d) as p95,
        0.0 as unreached_share
    from per_trial
    group by team_number
    union all
    select
        team_number,
        'how_many' as question,
        30 as horizon_days,
        cast(null as integer) as item_count,
        'items' as unit,
        percentile_cont(0.50) within group (order by how_many_30d) as p50,
        percentile_cont(0.15) within group (order by how_many_30d) as p85,
        percentile_cont(0.05) within group (order by how_many_30d) as p95,
        0.0 as unreached_share
    from per_trial
    group by team_number
    union all
    select
        team_number,
        'when' as question,
        cast(null as integer) as horizon_days,
        10 as item_count,
        'days' as unit,
        -- a trial that never got there within forecast_max_days counts as longer than all others
        percentile_cont(0.50) within group (order by coalesce(when_10, 366)) as p50,
        percentile_cont(0.85) within group (order by coalesce(when_10, 366)) as p85,
        percentile_cont(0.95) within group (order by coalesce(when_10, 366)) as p95,
        avg(cast(case when when_10 is null then 1 else 0 end as double precision)) as unreached_share
    from per_trial
    group by team_number
    union all
    select
        team_number,
        'when' as question,
        cast(null as integer) as horizon_days,
        25 as item_count,
        'days' as unit,
        -- a trial that never got there within forecast_max_days counts as longer than all others
        percentile_cont(0.50) within group (order by coalesce(when_25, 366)) as p50,
        percentile_cont(0.85) within group (order by coalesce(when_25, 366)) as p85,
        percentile_cont(0.95) within group (order by coalesce(when_25, 366)) as p95,
        avg(cast(case when when_25 is null then 1 else 0 end as double precision)) as unreached_share
    from per_trial
    group by team_number
    union all
    select
        team_number,
        'when' as question,
        cast(null as integer) as horizon_days,
        50 as item_count,
        'days' as unit,
        -- a trial that never got there within forecast_max_days counts as longer than all others
        percentile_cont(0.50) within group (order by coalesce(when_50, 366)) as p50,
        percentile_cont(0.85) within group (order by coalesce(when_50, 366)) as p85,
        percentile_cont(0.95) within group (order by coalesce(when_50, 366)) as p95,
        avg(cast(case when when_50 is null then 1 else 0 end as double precision)) as unreached_share
    from per_trial
    group by team_number
    
),

confidences as (
    select 50 as confidence union all select 85 union all select 95
),

chosen as (
    select
        answers.*,
        confidences.confidence,
        case confidences.confidence when 50 then answers.p50 when 85 then answers.p85 else answers.p95 end as value
    from answers
    cross join confidences
)

select
    teams.team,
    chosen.question,
    cast(chosen.horizon_days as integer) as horizon_days,
    cast(chosen.item_count as integer) as item_count,
    chosen.confidence,
    -- beyond the simulated days the answer is unknown, not the cap
    case when chosen.unit = 'days' and chosen.value > 365 then null else chosen.value end as value,
    chosen.unit,
    teams.window_start as sample_window_start,
    teams.window_end as sample_window_end,
    cast(teams.sample_days as integer) as sample_days,
    10000 as trials,
    42 as seed,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from chosen
inner join teams on chosen.team_number = teams.team_number