
    
    

select
    deployment_id as unique_field,
    count(*) as n_records

from "new"."core"."deployments"
where deployment_id is not null
group by deployment_id
having count(*) > 1


