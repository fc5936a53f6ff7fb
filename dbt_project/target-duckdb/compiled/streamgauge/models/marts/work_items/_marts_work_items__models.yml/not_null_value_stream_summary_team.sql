
    
    



select team
from "new"."marts"."value_stream_summary"
where team is null


