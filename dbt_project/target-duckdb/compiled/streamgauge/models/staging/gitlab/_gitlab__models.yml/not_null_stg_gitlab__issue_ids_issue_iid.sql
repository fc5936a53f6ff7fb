
    
    



select issue_iid
from "new"."staging"."stg_gitlab__issue_ids"
where issue_iid is null


