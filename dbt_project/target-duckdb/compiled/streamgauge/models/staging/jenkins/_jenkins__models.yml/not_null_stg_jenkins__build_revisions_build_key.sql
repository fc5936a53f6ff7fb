
    
    



select build_key
from "new"."staging"."stg_jenkins__build_revisions"
where build_key is null


