
    
    



select team
from "new"."marts"."forecast_backtest"
where team is null


