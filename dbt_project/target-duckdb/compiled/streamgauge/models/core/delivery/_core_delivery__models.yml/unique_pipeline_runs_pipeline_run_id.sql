
    
    

select
    pipeline_run_id as unique_field,
    count(*) as n_records

from "new"."core"."pipeline_runs"
where pipeline_run_id is not null
group by pipeline_run_id
having count(*) > 1


