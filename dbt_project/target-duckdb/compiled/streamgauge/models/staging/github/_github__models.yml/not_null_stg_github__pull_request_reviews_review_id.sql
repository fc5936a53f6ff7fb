
    
    



select review_id
from "new"."staging"."stg_github__pull_request_reviews"
where review_id is null


