
    
    

select
    pull_request_id as unique_field,
    count(*) as n_records

from "new"."intermediate"."int_pull_request_deployments_linked"
where pull_request_id is not null
group by pull_request_id
having count(*) > 1


