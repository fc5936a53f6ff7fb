
    
    



select note_id
from "new"."staging"."stg_gitlab__merge_request_notes"
where note_id is null


