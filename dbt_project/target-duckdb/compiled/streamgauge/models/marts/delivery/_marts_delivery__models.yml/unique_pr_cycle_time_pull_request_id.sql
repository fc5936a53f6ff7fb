
    
    

select
    pull_request_id as unique_field,
    count(*) as n_records

from "new"."marts"."pr_cycle_time"
where pull_request_id is not null
group by pull_request_id
having count(*) > 1


