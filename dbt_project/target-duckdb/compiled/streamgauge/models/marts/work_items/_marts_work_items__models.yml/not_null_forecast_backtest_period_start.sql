
    
    



select period_start
from "new"."marts"."forecast_backtest"
where period_start is null


