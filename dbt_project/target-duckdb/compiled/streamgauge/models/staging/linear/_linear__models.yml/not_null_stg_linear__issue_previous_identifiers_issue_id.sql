
    
    



select issue_id
from "new"."staging"."stg_linear__issue_previous_identifiers"
where issue_id is null


