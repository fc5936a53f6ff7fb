
    
    



select build_key
from "new"."staging"."stg_jenkins__builds"
where build_key is null


