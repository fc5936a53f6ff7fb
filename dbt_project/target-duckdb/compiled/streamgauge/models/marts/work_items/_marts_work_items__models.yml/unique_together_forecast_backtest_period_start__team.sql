
    select period_start, team, count(*) as occurrences
    from "new"."marts"."forecast_backtest"
    group by period_start, team
    having count(*) > 1
