
    
    



select state_id
from "new"."staging"."stg_linear__workflow_states"
where state_id is null


