
    
    



select history_id
from "new"."staging"."stg_linear__issue_history_labels"
where history_id is null


