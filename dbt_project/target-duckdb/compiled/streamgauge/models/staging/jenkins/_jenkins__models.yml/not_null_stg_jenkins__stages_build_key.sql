
    
    



select build_key
from "new"."staging"."stg_jenkins__stages"
where build_key is null


